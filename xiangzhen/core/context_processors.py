from typing import Any

from django.http import HttpRequest

from xiangzhen.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"menu": menu_for(request.user, request.path)}
