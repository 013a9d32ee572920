"""Indicator formulas: arithmetic over named measures, parsed with Python's `ast` and evaluated by
walking the tree — never `eval`. No database access here.

Allowed: numbers, measure names, + - * /, unary minus, parentheses, and the functions min, max and
round. Anything else (attributes, calls of other names, comparisons, powers, strings, subscripts …)
is refused with a Chinese message naming what was found. Division by zero gives 0: a measure
such as an average is 0 when there is nothing to average, and the indicator then earns nothing.
"""

import ast
from collections.abc import Collection, Mapping
from decimal import Decimal

from xiangzhen.core.errors import FieldError, ValidationFailed

MAX_LENGTH = 500
MAX_NODES = 200
FUNCTIONS = ("min", "max", "round")
OPERATORS: dict[type[ast.operator], str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# How the refused constructs are named in messages.
NAMES: dict[type[ast.AST], str] = {
    ast.Pow: "乘方 **",
    ast.Mod: "取余 %",
    ast.FloorDiv: "整除 //",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.MatMult: "@",
    ast.Compare: "比较运算",
    ast.BoolOp: "逻辑运算 and/or",
    ast.Attribute: "属性访问 .",
    ast.Subscript: "下标 []",
    ast.Lambda: "lambda",
    ast.IfExp: "条件表达式 if/else",
    ast.List: "列表",
    ast.Tuple: "元组",
    ast.Dict: "字典",
    ast.Set: "集合",
    ast.Not: "not",
    ast.Invert: "~",
}


class FormulaError(ValidationFailed):
    """A formula that cannot be used; the message names the unknown name or refused operator."""


def _fail(message: str) -> FormulaError:
    return FormulaError(message, [FieldError("formula", message)])


def _label(node: ast.AST) -> str:
    return NAMES.get(type(node), type(node).__name__)


def _check(node: ast.AST, measures: Collection[str]) -> None:
    if isinstance(node, ast.Expression):
        _check(node.body, measures)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise _fail(f"公式中不能使用常量“{node.value!r}”，只能使用数字")
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise _fail(f"函数“{node.id}”须带括号调用，如 {node.id}(1, x)")
        if node.id not in measures:
            raise _fail(f"未知的计量名称“{node.id}”")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in OPERATORS:
            raise _fail(f"公式中不能使用运算符“{_label(node.op)}”，只能使用 + - * /")
        _check(node.left, measures)
        _check(node.right, measures)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise _fail(f"公式中不能使用运算符“{_label(node.op)}”")
        _check(node.operand, measures)
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in FUNCTIONS:
            shown = name or _label(node.func)
            raise _fail(f"公式中不能调用“{shown}”，只能使用 {'、'.join(FUNCTIONS)}")
        if node.keywords:
            raise _fail(f"函数“{name}”不接受关键字参数")
        if name == "round" and len(node.args) not in (1, 2):
            raise _fail("函数“round”接受 1 或 2 个参数")
        if name in ("min", "max") and len(node.args) < 2:
            raise _fail(f"函数“{name}”至少需要 2 个参数")
        for argument in node.args:
            _check(argument, measures)
    else:
        raise _fail(f"公式中不能使用“{_label(node)}”")


def parse(text: str, measures: Collection[str]) -> ast.Expression:
    """The formula's tree, checked against the allowed constructs and the known measure names."""
    text = (text or "").strip()
    if not text:
        raise _fail("请填写计算公式")
    if len(text) > MAX_LENGTH:
        raise _fail(f"计算公式不超过 {MAX_LENGTH} 个字符")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise _fail(f"计算公式有语法错误（第 {exc.offset or 1} 个字符附近）") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise _fail("计算公式过长")
    _check(tree, measures)
    return tree


def names_in(tree: ast.AST) -> list[str]:
    """The measure names a checked formula uses, in order of first use."""
    seen: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            if node.id not in seen:
                seen.append(node.id)
            return
        for child in ast.iter_child_nodes(node):
            if not (isinstance(node, ast.Call) and child is node.func):
                visit(child)

    visit(tree)
    return seen


def _eval(node: ast.AST, values: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Expression):
        return _eval(node.body, values)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return Decimal(values.get(node.id, 0))
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values), _eval(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right if right else Decimal(0)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        arguments = [_eval(a, values) for a in node.args]
        if node.func.id == "min":
            return min(arguments)
        if node.func.id == "max":
            return max(arguments)
        places = int(arguments[1]) if len(arguments) == 2 else 0
        return round(arguments[0], places)
    raise _fail(f"公式中不能使用“{_label(node)}”")  # unreachable for a checked tree


def evaluate(text: str, values: Mapping[str, Decimal]) -> Decimal:
    """The formula's value for one organization's measures (checked against their names first)."""
    return _eval(parse(text, values.keys()), values)
