"""The push API (/api/v1/notifications): the caller's own inbox, and their organizations' subscriptions."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import PageNumberPagination, paginate

from xiangzhen.notifications import selectors, services
from xiangzhen.notifications.schemas import (
    NotificationOut,
    ReadAllOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)
from xiangzhen.notifications.services import SubscriptionData
from xiangzhen.organizations import selectors as organization_selectors

router = Router(tags=["共享推送"])


@router.get("/", response=list[NotificationOut], summary="我的通知（未读在前）")
@paginate(PageNumberPagination, page_size=20)
def list_notifications(request: HttpRequest) -> Any:
    return selectors.inbox(request.user)


@router.post("/read-all", response=ReadAllOut, summary="全部标为已读")
def read_all(request: HttpRequest) -> Any:
    return {"marked": services.mark_all_read(actor=request.user)}


@router.post("/{int:notification_id}/read", response=NotificationOut, summary="标为已读")
def read(request: HttpRequest, notification_id: int) -> Any:
    notification = selectors.get_notification(request.user, notification_id)
    return services.mark_read(actor=request.user, notification=notification)


@router.get("/subscriptions", response=list[SubscriptionOut], summary="本组织的需求订阅")
@paginate(PageNumberPagination, page_size=20)
def list_subscriptions(request: HttpRequest, organization_id: int | None = None) -> Any:
    return selectors.subscriptions(request.user, organization_id)


@router.post("/subscriptions", response={201: SubscriptionOut}, summary="新建需求订阅（组织管理员）")
def create_subscription(request: HttpRequest, payload: SubscriptionIn) -> Any:
    organization = organization_selectors.get_organization(request.user, payload.organization_id)
    data = SubscriptionData(
        domains=payload.domains, beneficiary_groups=payload.beneficiary_groups, regions=payload.regions
    )
    subscription = services.subscribe(actor=request.user, organization=organization, data=data)
    return Status(201, selectors.get_subscription(request.user, subscription.pk))


@router.get("/subscriptions/{int:subscription_id}", response=SubscriptionOut, summary="需求订阅详情")
def get_subscription(request: HttpRequest, subscription_id: int) -> Any:
    return selectors.get_subscription(request.user, subscription_id)


@router.patch("/subscriptions/{int:subscription_id}", response=SubscriptionOut, summary="修改或停用需求订阅")
def update_subscription(request: HttpRequest, subscription_id: int, payload: SubscriptionPatch) -> Any:
    subscription = selectors.get_subscription(request.user, subscription_id)
    changes = payload.dict(exclude_unset=True)
    is_active = changes.pop("is_active", None)
    data = SubscriptionData.of(subscription).merged(changes) if changes else None
    services.update_subscription(actor=request.user, subscription=subscription, data=data, is_active=is_active)
    return selectors.get_subscription(request.user, subscription_id)
