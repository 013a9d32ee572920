from django.contrib import admin

from xiangzhen.core.admin import ReadOnlyAdmin
from xiangzhen.matching.models import Match, MatchActivity, MatchEvaluation


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    """Read-only: matches change only through their workflow (pages, API, services)."""

    list_display = ["number", "demand", "organization", "origin", "status", "committed_amount", "proposed_at"]
    list_filter = ["status", "origin"]
    search_fields = ["number", "demand__title", "organization__name"]
    list_select_related = ["demand", "organization"]


@admin.register(MatchActivity)
class MatchActivityAdmin(ReadOnlyAdmin):
    list_display = ["match", "date", "title", "people_served", "amount_spent"]
    list_select_related = ["match"]


@admin.register(MatchEvaluation)
class MatchEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["match", "by_side", "score", "evaluated_at"]
    list_select_related = ["match"]
