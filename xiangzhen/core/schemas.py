from datetime import datetime
from typing import Any

from ninja import Schema


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
