"""API schemas more than one app uses: the audit entry, and the reason and version of a workflow step."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    region_code: str
    before: Any
    after: Any
    note: str

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class ReasonIn(Schema):
    """A workflow step's reason (whether it is required is the service's call) and the version seen."""

    reason: str = Field("", title="原因", max_length=500)
    version: int | None = Field(None, title="版本")
