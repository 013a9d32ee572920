import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from xiangzhen.accounts import excel, roles, selectors, services, twofactor
from xiangzhen.accounts.filters import UserFilters
from xiangzhen.accounts.forms import AccountForm, InitialPasswordForm, TwoFactorForm
from xiangzhen.accounts.models import ApiToken, User
from xiangzhen.core.crypto import mask_phone
from xiangzhen.core.errors import Forbidden, ValidationFailed, XiangzhenError
from xiangzhen.core.excel import download
from xiangzhen.core.paging import paginate, query_without_page
from xiangzhen.core.views import page_filters

PENDING_KEY = "accounts_password_change"
PENDING_SECONDS = 600
# A password accepted, the second factor not yet given: who, since when, and where to go after.
TWO_FACTOR_KEY = "accounts_two_factor"
TWO_FACTOR_SECONDS = 300


def session_backend() -> str:
    """The backend a session signed in here is tied to: the first in AUTHENTICATION_BACKENDS that
    can load the session's user (django-axes' own backend only watches password attempts)."""
    return next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(path), "get_user"))


class LoginView(auth_views.LoginView):
    """Sign in; an account whose password someone else chose is not signed in until it sets its own."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if user.must_change_password:
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("accounts:initial_password")
        if twofactor.applies_to(user) and twofactor.has_device(user):
            # Not signed in yet: only the code from the person's authenticator app completes it.
            self.request.session[TWO_FACTOR_KEY] = {"user": user.pk, "at": time.time(), "next": self.get_success_url()}
            return redirect("accounts:two_factor")
        return super().form_valid(form)


@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of a staff login: the six-digit code of the person's authenticator app.

    Serves a password just accepted by the login page (not signed in yet), or a session that is
    signed in but not verified (see `middleware.TwoFactorMiddleware`). A wrong code counts as a
    failed login for django-axes, so guessing locks the account like guessing passwords does; a
    code is accepted once only.
    """
    pending = request.session.get(TWO_FACTOR_KEY)
    if request.user.is_authenticated:
        if not twofactor.needs_verification(request):
            return redirect(settings.LOGIN_REDIRECT_URL)
        user: User | None = request.user
        next_url = settings.LOGIN_REDIRECT_URL
    else:
        if not pending or time.time() - pending["at"] > TWO_FACTOR_SECONDS:
            request.session.pop(TWO_FACTOR_KEY, None)
            return redirect("accounts:login")
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
        next_url = pending["next"]
    device = twofactor.confirmed_device(user)
    if user is None or device is None:
        request.session.pop(TWO_FACTOR_KEY, None)
        return redirect("accounts:login")
    credentials = {"username": user.username}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(TWO_FACTOR_KEY, None)
        return get_lockout_response(request, credentials)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.check_totp_code(device=device, token=form.cleaned_data["token"]):
            request.session.pop(TWO_FACTOR_KEY, None)
            if not request.user.is_authenticated:
                login(request, user, backend=session_backend())
            otp_login(request, device)
            return redirect(next_url)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if AxesProxyHandler.is_locked(request, credentials):
            request.session.pop(TWO_FACTOR_KEY, None)
            return get_lockout_response(request, credentials)
        form.add_error("token", "动态验证码不正确、已过期或已使用过，请输入验证器应用中当前显示的 6 位数字")
    return render(request, "accounts/two_factor.html", {"form": form, "account": user})


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add (or replace) one's authenticator app: scan the QR code, then confirm with a first code."""
    user: User = request.user  # type: ignore[assignment]
    if not twofactor.applies_to(user):
        raise PermissionDenied
    if twofactor.needs_verification(request):
        # A password alone must not be enough to swap the app for another one.
        return redirect("accounts:two_factor")
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                services.start_two_factor(actor=user)
                return redirect("accounts:two_factor_setup")
            if form.is_valid():
                device = services.confirm_two_factor(actor=user, token=form.cleaned_data["token"])
                otp_login(request, device)
                messages.success(request, "两步验证已启用：今后登录时除密码外还需输入验证器应用中的动态验证码")
                return redirect(settings.LOGIN_REDIRECT_URL)
        except ValidationFailed as exc:
            form.add_error("token", exc.message)
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    pending = twofactor.pending_device(user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "enabled": twofactor.has_device(user),
            "required": twofactor.policy() == twofactor.REQUIRED,
            "pending": pending,
            "qr": twofactor.qr_data_uri(pending) if pending else "",
            "secret": twofactor.secret_text(pending) if pending else "",
        },
    )


def initial_password(request: HttpRequest) -> HttpResponse:
    """Set one's own password after an initial or reset one; only then is the session signed in.

    Reached only straight from a correct login (the pending entry lasts ten minutes), so the
    temporary password never gives more than this page.
    """
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["user"], is_active=True, must_change_password=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    form = InitialPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.set_own_password(user=user, new_password=form.cleaned_data["new_password1"])
        except ValidationFailed as exc:
            form.add_error("new_password1", exc.message)
        else:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=session_backend())
            messages.success(request, "密码已修改")
            return redirect(pending["next"])
    return render(request, "accounts/initial_password.html", {"form": form, "account": user})


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_secret = None
    if request.method == "POST":
        try:
            _, new_secret = services.create_api_token(
                actor=request.user,  # type: ignore[arg-type]
                name=request.POST.get("name", ""),
                scope=request.POST.get("scope", ApiToken.Scope.READ),
            )
            messages.success(request, "令牌已创建")
        except XiangzhenError as exc:
            messages.error(request, exc.message)
    return render(
        request, "accounts/tokens.html", {"tokens": selectors.api_tokens(request.user), "new_secret": new_secret}
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_api_token(actor=request.user, token_id=token_id)  # type: ignore[arg-type]
        messages.success(request, "令牌已吊销")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:tokens")


# ---------------------------------------------------------------- user management (see docs/accounts.md)


def _managed(request: HttpRequest, filters: UserFilters | None = None) -> Any:
    try:
        return selectors.managed_users(request.user, filters)
    except Forbidden:
        raise PermissionDenied from None


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    filters = page_filters(request, UserFilters)
    page = paginate(request, _managed(request, filters))
    locked = selectors.locked_usernames([u.username for u in page])
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "filters": filters,
            "locked": locked,
            "roles": User.Role.choices,
            "departments": selectors.assignable_departments(request.user)
            if roles.user_management(request.user).staff_region or roles.is_platform_admin(request.user)
            else [],
        },
    )


@login_required
def user_export(request: HttpRequest) -> HttpResponse:
    filters, _ = UserFilters.from_params(request.GET)
    return download(excel.export_workbook(_managed(request, filters)), "用户.xlsx")


def _password_page(request: HttpRequest, account: User, password: str, created: bool) -> HttpResponse:
    """The one time a temporary password is shown: not cached, not stored, not sent anywhere."""
    return render(
        request, "accounts/user_password.html", {"account": account, "password": password, "created": created}
    )


@never_cache
@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    if not roles.can_manage_users(request.user):
        raise PermissionDenied
    departments = [(d.pk, f"{d.name}（{d.region}）") for d in selectors.assignable_departments(request.user)]
    form = AccountForm(request.POST or None, roles=roles.assignable_roles(request.user), departments=departments)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.create_account(actor=request.user, **form.to_kwargs())
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
        else:
            return _password_page(request, account, password, created=True)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = selectors.get_managed_user(request.user, user_id)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "locked": account.username in selectors.locked_usernames([account.username]),
            "phone_masked": mask_phone(account.phone) if account.phone else "",
            "two_factor": twofactor.has_device(account),
            "history": selectors.account_history(account)[:50],
        },
    )


@never_cache
@login_required
@require_POST
def user_act(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate, reactivate, unlock or reset the password of a managed account."""
    account = selectors.get_managed_user(request.user, user_id)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "reset_password":
            account, password = services.reset_password(actor=request.user, user_id=account.pk)
            return _password_page(request, account, password, created=False)
        if action == "deactivate":
            services.deactivate_user(actor=request.user, user_id=account.pk, reason=reason)
            messages.success(request, f"已停用账号：{account.username}")
        elif action == "reactivate":
            services.reactivate_user(actor=request.user, user_id=account.pk, reason=reason)
            messages.success(request, f"已重新启用账号：{account.username}")
        elif action == "reset_two_factor":
            removed = services.reset_two_factor(actor=request.user, user_id=account.pk)
            messages.success(
                request, f"已移除 {account.username} 的验证器 {removed} 个，对方下次登录须重新启用两步验证"
            )
        elif action == "unlock":
            cleared = services.unlock_user(actor=request.user, user_id=account.pk)
            messages.success(request, f"已解除登录锁定：{account.username}（清除失败记录 {cleared} 条）")
        else:
            messages.error(request, "请选择操作")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:user_detail", account.pk)
