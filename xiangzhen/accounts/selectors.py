from typing import Any

from django.db.models import QuerySet

from xiangzhen.accounts.models import ApiToken


def api_tokens(user: Any) -> "QuerySet[ApiToken]":
    """A user's own tokens, newest first."""
    return ApiToken.objects.filter(user=user)
