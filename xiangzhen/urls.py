from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from xiangzhen.api import api

urlpatterns = [
    path("", include("xiangzhen.core.urls")),
    # Operations: /healthz, /readyz, /metrics (xiangzhen/ops, docs/operations.md).
    path("", include("xiangzhen.ops.urls")),
    path("accounts/", include("xiangzhen.accounts.urls")),
    path("regions/", include("xiangzhen.regions.urls")),
    path("organizations/", include("xiangzhen.organizations.urls")),
    path("demands/", include("xiangzhen.demands.urls")),
    path("offers/", include("xiangzhen.offers.urls")),
    path("matches/", include("xiangzhen.matching.urls")),
    path("recommendations/", include("xiangzhen.recommendations.urls")),
    path("notifications/", include("xiangzhen.notifications.urls")),
    path("allocation/", include("xiangzhen.allocation.urls")),
    path("funds/", include("xiangzhen.funds.urls")),
    path("tlog/", include("xiangzhen.tlog.urls")),
    path("stats/", include("xiangzhen.stats.urls")),
    path("reports/", include("xiangzhen.reporting.urls")),
    path("events/", include("xiangzhen.events.urls")),
    path("pairings/", include("xiangzhen.pairings.urls")),
    path("campaigns/", include("xiangzhen.campaigns.urls")),
    path("brands/", include("xiangzhen.brands.urls")),
    path("consumption/", include("xiangzhen.consumption.urls")),
    path("facilities/", include("xiangzhen.facilities.urls")),
    path("evaluation/", include("xiangzhen.evaluation.urls")),
    path("portal/", include("xiangzhen.portal.urls")),
    path("training/", include("xiangzhen.training.urls")),
    path("linkage/", include("xiangzhen.linkage.urls")),
    path("monitoring/", include("xiangzhen.monitoring.urls")),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# A lost database answers 503 with Retry-After; anything else a plain 500 (xiangzhen/ops/views.py).
handler500 = "xiangzhen.ops.views.server_error"
