"""The main menu. Each app adds its entries here as it is built; entries show by role."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[Any], bool]


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)


def _visitor(user: Any) -> bool:
    """Public libraries for visitors; signed-in people reach them from their own lists."""
    return not user.is_authenticated


def _staff_or_admin(user: Any) -> bool:
    from xiangzhen.accounts.roles import department_of, is_platform_admin

    return is_platform_admin(user) or department_of(user) is not None


def _designation_manager(user: Any) -> bool:
    from xiangzhen.accounts.roles import can_open_designations

    return can_open_designations(user)


def _allocator(user: Any) -> bool:
    from xiangzhen.allocation.rules import can_use

    return can_use(user)


def _user_manager(user: Any) -> bool:
    from xiangzhen.accounts.roles import can_manage_users

    return can_manage_users(user)


def _audit_reader(user: Any) -> bool:
    from xiangzhen.accounts.roles import can_read_audit

    return can_read_audit(user)


def _reporting_user(user: Any) -> bool:
    """Province and city staff (who receive and write the periodic reports) and platform admins."""
    from xiangzhen.accounts.roles import is_platform_admin, staff_level

    return is_platform_admin(user) or staff_level(user) in ("province", "city")


def _evaluation_reader(user: Any) -> bool:
    """Staff and platform admins; organization people open their own scores from here too."""
    from xiangzhen.evaluation.rules import reads_scores

    return reads_scores(user)


MENU: list[NavItem] = [
    NavItem(_("工作台"), "core:home", _signed_in),
    NavItem(_("行政区划"), "regions:browse", _signed_in),
    NavItem(_("区划认定"), "regions:designations", _designation_manager),
    NavItem(_("需求项目"), "demands:list", _signed_in),
    NavItem(_("防止返贫监测"), "monitoring:list", _signed_in),
    NavItem(_("需求项目库"), "demands:public_list", _visitor),
    NavItem(_("供需对接"), "matching:list", _signed_in),
    NavItem(_("智能推荐方案"), "allocation:list", _allocator),
    NavItem(_("社会组织"), "organizations:list", _signed_in),
    NavItem(_("供给项目"), "offers:list", _signed_in),
    NavItem(_("供给项目库"), "offers:public", _visitor),
    NavItem(_("专项基金"), "funds:list", _signed_in),
    NavItem(_("专项基金"), "funds:public", _visitor),
    NavItem(_("结对帮扶"), "pairings:list", _signed_in),
    NavItem(_("四小建设"), "facilities:list", _signed_in),
    NavItem(_("四小建设"), "facilities:public", _visitor),
    NavItem(_("专项行动"), "campaigns:list", _signed_in),
    NavItem(_("专项行动"), "campaigns:public", _visitor),
    NavItem(_("消费帮扶"), "consumption:purchases", _signed_in),
    NavItem(_("帮扶产品目录"), "consumption:catalogue", _visitor),
    NavItem(_("活动与会展"), "events:list", _signed_in),
    NavItem(_("活动与会展"), "events:public", _visitor),
    NavItem(_("能力建设"), "training:list", _signed_in),
    NavItem(_("领军人才"), "training:talents", _signed_in),
    NavItem(_("五社联动"), "linkage:stations", _signed_in),
    NavItem(_("公益品牌与案例"), "brands:list", _signed_in),
    NavItem(_("典型案例"), "brands:case_public", _visitor),
    NavItem(_("文章发布"), "portal:list", _staff_or_admin),
    NavItem(_("信息公开"), "portal:public", lambda user: True),
    NavItem(_("门户首页"), "portal:home", _visitor),
    NavItem(_("透明日志"), "tlog:index", lambda user: True),
    NavItem(_("统计"), "stats:figures", _staff_or_admin),
    NavItem(_("公开统计"), "stats:public", _visitor),
    NavItem(_("定期报送"), "reporting:list", _reporting_user),
    NavItem(_("评估评价"), "evaluation:scores", _evaluation_reader),
    NavItem(_("操作日志"), "core:audit", _audit_reader),
    NavItem(_("用户管理"), "accounts:users", _user_manager),
    NavItem(_("接口令牌"), "accounts:tokens", _staff_or_admin),
]


def menu_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [
        {"label": item.label, "url": reverse(item.url_name)} for item in MENU if item.visible(user)
    ]
    # The entry whose URL is the longest prefix of the current path is the active one.
    matches = [i for i in items if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))]
    active = max(matches, key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is active
    return items
