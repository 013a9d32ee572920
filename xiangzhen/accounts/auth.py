"""API authentication: a bearer token for systems, or the browser session (with CSRF) for pages.

A token acts as its user, within its scope: a read token may only read (GET, HEAD, OPTIONS);
anything else is refused with 403 before the endpoint runs. Tokens are not subject to the
two-factor login of department staff: they are issued by a signed-in (and, where 2FA applies,
verified) user, stored only as a hash, and revocable; a password reset revokes them all.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from xiangzhen.accounts.models import ApiToken
from xiangzhen.core.errors import Forbidden

TOKEN_PREFIX = "xz_"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(TOKEN_PREFIX):
            return None
        api_token = (
            ApiToken.objects.select_related("user", "user__department")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        if api_token.scope != ApiToken.Scope.WRITE and request.method not in READ_METHODS:
            raise Forbidden("该接口令牌为只读令牌，不能用于修改数据；请创建“读写”令牌")
        now = timezone.now()
        # Record use at most once a minute, so a busy integration does not write on every call.
        if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


API_AUTH = [ApiTokenAuth(), django_auth]
