"""Review help: signs that a demand deserves a second look before it is published.

Flags are advice for the reviewer, never a rejection: the rules are pure functions over text and
numbers, and `flags_for` is the one selector that gathers what they compare against.
"""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from xiangzhen.core.textsearch import query_words
from xiangzhen.demands.models import Demand
from xiangzhen.regions import codes

BRAND_WORDS = (
    "苹果手机",
    "iPhone",
    "华为",
    "小米手机",
    "茅台",
    "五粮液",
    "中华烟",
    "名牌",
    "LV",
    "古驰",
    "香奈儿",
    "劳力士",
)
LUXURY_WORDS = (
    "奢侈",
    "高档",
    "豪华",
    "金饰",
    "黄金",
    "钻石",
    "轿车",
    "小汽车",
    "手机",
    "烟酒",
    "香烟",
    "白酒",
    "名表",
)
BUDGET_FACTOR = 3
MIN_COMPARABLES = 5
DUPLICATE_THRESHOLD = 0.6


@dataclass(frozen=True)
class Flag:
    code: str  # brand / luxury / budget / duplicate
    explanation: str


def _found(text: str, words: tuple[str, ...]) -> list[str]:
    lowered = text.lower()
    return [w for w in words if w.lower() in lowered]


def brand_flag(text: str) -> Flag | None:
    words = _found(text, BRAND_WORDS)
    if not words:
        return None
    return Flag("brand", f"提到了品牌或名牌商品（{'、'.join(words)}）：请核实是否确为帮扶所需，可否换成普通同类物品")


def luxury_flag(text: str) -> Flag | None:
    words = [w for w in _found(text, LUXURY_WORDS) if not any(w in b for b in _found(text, BRAND_WORDS))]
    if not words:
        return None
    return Flag("luxury", f"含奢侈品或个人消费品用语（{'、'.join(words)}）：请核实用途是否属于公益帮扶")


def median_budget(budgets: list[Decimal]) -> Decimal | None:
    """The median of comparable budgets, or None when there are too few to compare."""
    if len(budgets) < MIN_COMPARABLES:
        return None
    return Decimal(statistics.median(budgets))


def budget_flag(budget: Decimal, comparable_budgets: list[Decimal]) -> Flag | None:
    median = median_budget(comparable_budgets)
    if median is None or median <= 0 or budget <= median * BUDGET_FACTOR:
        return None
    ratio = budget / median
    return Flag(
        "budget",
        f"所需资金 {budget:,.2f} 元，是本省同领域已发布需求中位数（{median:,.2f} 元，{len(comparable_budgets)} 个）"
        f"的 {ratio:.1f} 倍：请核实预算",
    )


def word_set(*parts: str) -> set[str]:
    return set(query_words(" ".join(parts)))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def duplicate_flag(words: set[str], others: list[tuple[str, str, set[str]]]) -> Flag | None:
    """`others` are (number, title, word set) of open demands in the same village."""
    close = [(jaccard(words, w), number, title) for number, title, w in others]
    close = sorted((c for c in close if c[0] >= DUPLICATE_THRESHOLD), reverse=True)
    if not close:
        return None
    similarity, number, title = close[0]
    return Flag(
        "duplicate",
        f"与同村尚未办结的需求 {number}“{title}”内容相似（相似度 {similarity:.0%}）：请确认不是重复填报",
    )


def flags_for(demand: Demand) -> list[Flag]:
    """Every flag for a demand the caller may already see. Reads comparables across the province."""
    text = f"{demand.title} {demand.description} {demand.in_kind}"
    flags = [brand_flag(text), luxury_flag(text)]

    province = codes.ancestor_codes(demand.region_id)[0] if demand.region_id[2:] != "0" * 10 else demand.region_id
    domain_ids = [d.pk for d in demand.domains.all()]
    comparables = (
        Demand.objects.filter(
            status__in=Demand.PUBLIC_STATUSES,
            region__code__range=codes.subtree_bounds(province),
            domains__in=domain_ids,
        )
        .exclude(pk=demand.pk)
        .values_list("pk", "budget")
        .distinct()
    )
    budgets = [budget for _, budget in comparables]
    flags.append(budget_flag(demand.budget, budgets))

    others = [
        (number, title, word_set(title, description))
        for number, title, description in Demand.objects.filter(
            region_id=demand.region_id, status__in=Demand.OPEN_STATUSES
        )
        .exclude(pk=demand.pk)
        .values_list("number", "title", "description")[:200]
    ]
    flags.append(duplicate_flag(word_set(demand.title, demand.description), others))
    return [f for f in flags if f is not None]
