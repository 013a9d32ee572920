from decimal import Decimal

import pytest

from xiangzhen.evaluation import formula
from xiangzhen.evaluation.measures import NAMES

VALUES = {name: Decimal(0) for name in NAMES} | {
    "activities": Decimal(3),
    "volunteer_hours": Decimal("150"),
    "evaluation_average": Decimal("4.5"),
    "matches_taken": Decimal(0),
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("activities / 6", Decimal("0.5")),
        ("min(1, activities / 6 + volunteer_hours / 300)", Decimal(1)),
        ("max(activities, 10) - 2 * 3", Decimal(4)),
        ("evaluation_average / 5", Decimal("0.9")),
        ("-activities + (4)", Decimal(1)),
        ("round(activities / 7, 2)", Decimal("0.43")),
        ("round(2.6)", Decimal(3)),
        ("0.25", Decimal("0.25")),
        # Dividing by a measure that is 0 gives 0 rather than an error.
        ("activities / matches_taken", Decimal(0)),
        ("min(1, activities / max(1, matches_taken))", Decimal(1)),
    ],
)
def test_allowed_formulas_evaluate(text, expected):
    assert formula.evaluate(text, VALUES) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("activitys / 6", "未知的计量名称“activitys”"),
        ("activities ** 2", "乘方 **"),
        ("activities % 2", "取余 %"),
        ("activities // 2", "整除 //"),
        ("activities > 2", "比较运算"),
        ("activities and 1", "逻辑运算"),
        ("activities.__class__", "属性访问"),
        ("__import__('os')", "__import__"),
        ("eval('1')", "eval"),
        ("open('x')", "open"),
        ("'1' + 1", "常量"),
        ("True + 1", "常量"),
        ("[1][0]", "下标"),
        ("lambda: 1", "lambda"),
        ("1 if activities else 0", "条件表达式"),
        ("min(1)", "至少需要 2 个参数"),
        ("round(1, 2, 3)", "1 或 2 个参数"),
        ("min(1, 2, key=3)", "关键字参数"),
        ("min", "须带括号调用"),
        ("not activities", "not"),
        ("activities / (", "语法错误"),
        ("", "请填写计算公式"),
        ("(activities).real", "属性访问"),
    ],
)
def test_refused_formulas_name_the_problem(text, named):
    with pytest.raises(formula.FormulaError) as caught:
        formula.parse(text, NAMES)
    assert named in caught.value.message
    assert caught.value.errors[0].field == "formula"


def test_overlong_formula_is_refused():
    with pytest.raises(formula.FormulaError, match="不超过"):
        formula.parse("activities + " * 100 + "1", NAMES)


def test_names_in_lists_the_measures_used_once_in_order():
    tree = formula.parse("min(1, activities / 6) + activities * evaluation_average", NAMES)
    assert formula.names_in(tree) == ["activities", "evaluation_average"]
