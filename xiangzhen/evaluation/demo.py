"""Demo evaluation: the default indicators of 湖南 and 山西, and 湖南's scores of this year computed
from the demo records. Called by `manage.py seed_demo` after the other demo data. Idempotent:
indicators that exist are kept; the scores are recomputed (they are derived data)."""

from django.utils import timezone

from xiangzhen.evaluation import services

HUNAN, SHANXI = "430000000000", "140000000000"


def seed_demo_evaluation() -> services.ComputeResult:
    services.seed_default_indicators(actor=None, province_codes=[HUNAN, SHANXI])
    return services.compute_scores(actor=None, province_code=HUNAN, year=timezone.localdate().year)
