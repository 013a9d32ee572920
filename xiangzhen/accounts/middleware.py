"""Keep a staff session that has not passed the second factor to the two-factor pages.

Runs after django-otp's `OTPMiddleware` (which tells whether the session is verified). A normal
login never lets such a session through (`views.LoginView` signs in only after the code), but a
session can still arrive unverified — set up by the first-login password change, or opened before
the person added a device — and under `XIANGZHEN_STAFF_2FA=required` staff without a device must
add one first. Pages redirect; the session-authenticated API answers 403 problem+json. A bearer
token is authenticated later, by the API itself, and is not affected.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from xiangzhen.accounts import twofactor
from xiangzhen.core.problems import problem

# Where an unverified staff session may still go.
OPEN_VIEWS = {"accounts:two_factor", "accounts:two_factor_setup", "accounts:logout", "set_language"}


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if twofactor.applies_to(request.user) and not self._open(request):
            if twofactor.needs_verification(request):
                return self._refuse(request, "accounts:two_factor", "请先输入验证器应用中的动态验证码完成登录")
            if twofactor.needs_enrollment(request):
                return self._refuse(request, "accounts:two_factor_setup", "部门工作人员须先启用两步验证")
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        if request.path_info.startswith("/api/") and request.headers.get("Authorization", "").startswith("Bearer "):
            return True  # the token decides, not the browser session that may come along
        if request.path_info.startswith((settings.STATIC_URL or "/static/", "/favicon")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in OPEN_VIEWS

    @staticmethod
    def _refuse(request: HttpRequest, view_name: str, message: str) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            return problem(403, "two-factor", "需要两步验证", message)
        return redirect(view_name)
