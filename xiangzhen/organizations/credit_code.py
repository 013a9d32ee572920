"""The unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters: registration authority (1), category (1), region (6), organization code (9,
itself checked by GB 11714), and a check character computed over the first 17.
"""

from xiangzhen.core.errors import ValidationFailed

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
FIELD = "credit_code"

# Civil affairs registers social organizations under authority code 5 with these categories.
CIVIL_AFFAIRS_AUTHORITY = "5"
CATEGORY_BY_KIND = {"social_group": "1", "social_service_agency": "2", "foundation": "3"}
CATEGORY_LABELS = {"1": "社会团体", "2": "民办非企业单位（社会服务机构）", "3": "基金会", "9": "其他"}


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def organization_code_check(body8: str) -> str:
    """The GB 11714 check character of the 8-character organization code body."""
    total = sum(CHARSET.index(c) * w for c, w in zip(body8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def _fail(message: str) -> ValidationFailed:
    return ValidationFailed.on(FIELD, message)


def validate_credit_code(raw: str) -> str:
    """Return the code in upper case, or raise with a message saying exactly what is wrong."""
    code = (raw or "").strip().upper()
    if not code:
        raise _fail("请填写统一社会信用代码")
    if len(code) != 18:
        raise _fail(f"统一社会信用代码应为 18 位，当前为 {len(code)} 位")
    for position, char in enumerate(code, start=1):
        if char not in CHARSET:
            raise _fail(
                f"统一社会信用代码第 {position} 位“{char}”不是合法字符（只使用数字和除 I、O、S、V、Z 以外的大写字母）"
            )
    if not code[2:8].isdigit():
        raise _fail("统一社会信用代码第 3–8 位应为登记管理机关所在地的 6 位行政区划代码")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise _fail(
            f"统一社会信用代码校验位错误：按前 17 位计算，第 18 位应为“{expected}”，"
            f"实际为“{code[17]}”，请核对是否有抄错的字符"
        )
    return code


def validate_social_organization_code(raw: str, kind: str) -> str:
    """A credit code that is also a civil-affairs registration of the chosen kind."""
    code = validate_credit_code(raw)
    if code[0] != CIVIL_AFFAIRS_AUTHORITY:
        raise _fail(f"统一社会信用代码第 1 位为“{code[0]}”，社会组织由民政部门登记，第 1 位应为“5”")
    expected = CATEGORY_BY_KIND.get(kind)
    if expected and code[1] != expected:
        actual = CATEGORY_LABELS.get(code[1], "未知类别")
        wanted = CATEGORY_LABELS[expected]
        raise _fail(f"统一社会信用代码第 2 位为“{code[1]}”（{actual}），与所选类型不符，{wanted}应为“{expected}”")
    return code


def make_credit_code(prefix8: str, body8: str) -> str:
    """Build a valid code from its first 8 characters and an organization-code body (tests, demo)."""
    first17 = prefix8 + body8 + organization_code_check(body8)
    return first17 + check_character(first17)
