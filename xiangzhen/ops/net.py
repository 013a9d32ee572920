"""Who is asking: the client's address as nginx saw it, and whether the caller is this machine."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

LOOPBACK = frozenset({"127.0.0.1", "::1"})


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or nginx's X-Real-IP when the request came through a trusted proxy.

    Only a proxy listed in XIANGZHEN_TRUSTED_PROXIES may name the client, so a client cannot
    pick its own address by sending the header straight to gunicorn.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    if forwarded and remote in settings.XIANGZHEN_TRUSTED_PROXIES:
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return remote
    return remote


def is_direct_local(request: HttpRequest) -> bool:
    """A request made on this machine straight to the app server, not relayed by nginx for someone."""
    proxied = any(h in request.META for h in ("HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED"))
    return not proxied and request.META.get("REMOTE_ADDR", "") in LOOPBACK
