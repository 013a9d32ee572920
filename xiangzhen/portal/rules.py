"""Who may do what to articles. Scope is `portal.selectors`.

- An article is written by staff (civil affairs or rural revitalization) of a department; its
  region is that department's region and that department edits, submits and resubmits it.
- It is reviewed (published or returned with a reason) by the OTHER department of the same region,
  or by staff (either department) of the region one level up. Platform admins may review any
  article. Nobody reviews their own article.
- A published article may be withdrawn (with a reason) by the writer's department or a reviewer.
"""

from typing import Any

from xiangzhen.accounts.models import Department
from xiangzhen.accounts.roles import department_of, is_platform_admin
from xiangzhen.portal.models import Article
from xiangzhen.regions import codes

STAFF_DEPARTMENTS = (Department.Kind.CIVIL_AFFAIRS, Department.Kind.RURAL_REVITALIZATION)


def staff_department(user: Any) -> Department | None:
    department = department_of(user)
    return department if department is not None and department.kind in STAFF_DEPARTMENTS else None


def is_writer_department(user: Any, article: Article) -> bool:
    department = staff_department(user)
    return bool(department and department.pk == article.department_id)


def can_review(user: Any, article: Article) -> bool:
    if getattr(user, "pk", None) == article.created_by_id:
        return False
    if is_platform_admin(user):
        return True
    department = staff_department(user)
    if department is None:
        return False
    if department.region_id == article.region_id:
        return department.pk != article.department_id
    ancestors = codes.ancestor_codes(article.region_id)
    return bool(ancestors) and department.region_id == ancestors[-1]


def can_withdraw(user: Any, article: Article) -> bool:
    return is_writer_department(user, article) or can_review(user, article)


EDITABLE_STATUSES = (Article.Status.DRAFT, Article.Status.RETURNED)


def can_edit(user: Any, article: Article) -> bool:
    return is_writer_department(user, article) and article.status in EDITABLE_STATUSES


def allowed_actions(user: Any, article: Article) -> list[str]:
    """The workflow steps `user` may take on `article` now (state and role both allow them)."""
    from xiangzhen.portal.services import REVIEW_ACTIONS, WORKFLOW, WRITER_ACTIONS

    found = []
    for action in WORKFLOW.allowed_actions(article.status):
        if (
            (action in WRITER_ACTIONS and is_writer_department(user, article))
            or (action in REVIEW_ACTIONS and can_review(user, article))
            or (action == "withdraw" and can_withdraw(user, article))
        ):
            found.append(action)
    return found
