"""Inbox and subscription pages: thin wrappers over selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from xiangzhen.core.errors import ValidationFailed, XiangzhenError
from xiangzhen.core.paging import paginate
from xiangzhen.notifications import rules, selectors, services
from xiangzhen.notifications.forms import SubscriptionForm
from xiangzhen.organizations.selectors import administered_organizations


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": paginate(request, selectors.inbox(request.user)),
            "can_subscribe": administered_organizations(request.user).exists(),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one read; with `open`, go on to what it points at."""
    notification = services.mark_read(
        actor=request.user, notification=selectors.get_notification(request.user, notification_id)
    )
    target = notification.url
    if "open" in request.POST and target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读" if count else "没有未读通知")
    return redirect("notifications:inbox")


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    """An admin's organizations' subscriptions, and a form for a new one."""
    organizations = administered_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = SubscriptionForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscribe(actor=request.user, organization=form.cleaned_data["organization"], data=form.to_data())
            messages.success(request, "订阅已保存：新发布的相符需求会推送到收件箱和邮箱")
            return redirect("notifications:subscriptions")
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "notifications/subscriptions.html",
        {
            "subscriptions": selectors.subscriptions(request.user).filter(organization__in=organizations),
            "form": form,
        },
    )


@login_required
def subscription_edit(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = selectors.get_subscription(request.user, subscription_id)
    if not rules.can_manage_subscriptions(request.user, subscription.organization):
        raise PermissionDenied
    form = SubscriptionForm(
        request.POST or None, organizations=administered_organizations(request.user), subscription=subscription
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_subscription(
                actor=request.user,
                subscription=subscription,
                data=form.to_data(),
                is_active=bool(form.cleaned_data.get("is_active")),
            )
            messages.success(request, "订阅已更新")
            return redirect("notifications:subscriptions")
        except ValidationFailed as exc:
            form.add_service_error(exc)
        except XiangzhenError as exc:
            form.add_error(None, exc.message)
    return render(request, "notifications/subscription_edit.html", {"form": form, "subscription": subscription})


@login_required
@require_POST
def subscription_deactivate(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = selectors.get_subscription(request.user, subscription_id)
    try:
        services.unsubscribe(actor=request.user, subscription=subscription)
        messages.success(request, "订阅已停用")
    except XiangzhenError as exc:
        messages.error(request, exc.message)
    return redirect("notifications:subscriptions")
