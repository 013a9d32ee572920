"""The session's user is loaded with their department: every scoped query asks for its region, and
without this each request spent one more query fetching it."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from xiangzhen.accounts.models import User


class UserWithDepartmentBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("department").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
