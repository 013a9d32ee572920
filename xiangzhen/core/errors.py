"""Errors raised by services and selectors.

Views turn them into messages, the API into RFC 9457 problem documents; both show the
Chinese message as it is, so a service writes it once for every path.
"""

from dataclasses import dataclass, field


@dataclass
class FieldError:
    field: str
    message: str


@dataclass
class XiangzhenError(Exception):
    message: str
    errors: list[FieldError] = field(default_factory=list)

    status = 400
    type_slug = "invalid"
    title = "请求无效"

    def __str__(self) -> str:
        return self.message


class ValidationFailed(XiangzhenError):
    """Input broke a business rule; `errors` names each field at fault."""

    status = 422
    type_slug = "validation"
    title = "数据校验未通过"

    @classmethod
    def on(cls, field_name: str, message: str) -> "ValidationFailed":
        return cls(message, [FieldError(field_name, message)])


class NotFound(XiangzhenError):
    """Missing, or out of the user's scope: the two must look the same."""

    status = 404
    type_slug = "not-found"
    title = "记录不存在"


class Forbidden(XiangzhenError):
    """The user can see the record but their role may not do this to it."""

    status = 403
    type_slug = "forbidden"
    title = "无权执行此操作"


class InvalidTransition(XiangzhenError):
    status = 409
    type_slug = "invalid-transition"
    title = "当前状态不允许此操作"


class Conflict(XiangzhenError):
    """Someone else changed the record first."""

    status = 409
    type_slug = "conflict"
    title = "记录已被他人修改"
