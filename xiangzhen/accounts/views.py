from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xiangzhen.accounts import selectors, services
from xiangzhen.core.errors import XiangzhenError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_secret = None
    if request.method == "POST":
        try:
            _, new_secret = services.create_api_token(actor=request.user, name=request.POST.get("name", ""))  # type: ignore[arg-type]
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
