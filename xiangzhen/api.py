from xiangzhen.accounts.api import router as accounts_router
from xiangzhen.accounts.auth import API_AUTH
from xiangzhen.allocation.api import router as allocation_router
from xiangzhen.brands.api import router as brands_router
from xiangzhen.campaigns.api import router as campaigns_router
from xiangzhen.consumption.api import router as consumption_router
from xiangzhen.core import problems
from xiangzhen.core.api import router as core_router
from xiangzhen.demands.api import router as demands_router
from xiangzhen.evaluation.api import router as evaluation_router
from xiangzhen.events.api import router as events_router
from xiangzhen.facilities.api import router as facilities_router
from xiangzhen.funds.api import router as funds_router
from xiangzhen.linkage.api import router as linkage_router
from xiangzhen.matching.api import router as matching_router
from xiangzhen.monitoring.api import router as monitoring_router
from xiangzhen.notifications.api import router as notifications_router
from xiangzhen.offers.api import router as offers_router
from xiangzhen.organizations.api import router as organizations_router
from xiangzhen.pairings.api import router as pairings_router
from xiangzhen.portal.api import router as portal_router
from xiangzhen.recommendations.api import router as recommendations_router
from xiangzhen.regions.api import router as regions_router
from xiangzhen.reporting.api import router as reporting_router
from xiangzhen.tlog.api import router as tlog_router
from xiangzhen.training.api import router as training_router

api = problems.ProblemAPI(
    title="乡振 Xiangzhen API",
    version="1",
    description=(
        "社会组织参与乡村振兴服务平台接口。"
        "认证：请求头 `Authorization: Bearer <接口令牌>`，或浏览器登录会话（需 CSRF）。"
    ),
    auth=API_AUTH,
    urls_namespace="api",
)
problems.install(api)
api.add_router("/regions", regions_router)
api.add_router("/organizations", organizations_router)
api.add_router("/demands", demands_router)
api.add_router("/offers", offers_router)
api.add_router("/matches", matching_router)
api.add_router("/recommendations", recommendations_router)
api.add_router("/notifications", notifications_router)
api.add_router("/allocation", allocation_router)
api.add_router("/funds", funds_router)
api.add_router("/tlog", tlog_router)
api.add_router("/reports", reporting_router)
api.add_router("/events", events_router)
api.add_router("/pairings", pairings_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/brands", brands_router)
api.add_router("/consumption", consumption_router)
api.add_router("/facilities", facilities_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/portal", portal_router)
api.add_router("/training", training_router)
api.add_router("/linkage", linkage_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/accounts", accounts_router)
api.add_router("/audit", core_router)
