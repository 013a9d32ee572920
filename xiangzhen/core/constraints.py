"""Database constraints that several apps declare in the same shape."""

from django.db import models
from django.db.models import Q


def exactly_one_of(first: str, second: str, *, name: str) -> models.CheckConstraint:
    """A row points through `first` or through `second` (two nullable foreign keys, e.g. an
    organization or a station), never both and never neither."""
    return models.CheckConstraint(
        condition=Q(**{f"{first}__isnull": True, f"{second}__isnull": False})
        | Q(**{f"{first}__isnull": False, f"{second}__isnull": True}),
        name=name,
    )
