from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from xiangzhen.notifications.selectors import unread_badge


def inbox(request: HttpRequest) -> dict[str, Any]:
    """The unread count for the inbox link in the top bar (cached briefly: see `unread_badge`)."""
    user = getattr(request, "user", None)
    return {"inbox_unread": SimpleLazyObject(lambda: unread_badge(user))}
