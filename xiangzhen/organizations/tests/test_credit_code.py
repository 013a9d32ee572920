import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiangzhen.core.errors import ValidationFailed
from xiangzhen.organizations.credit_code import (
    CHARSET,
    check_character,
    make_credit_code,
    validate_credit_code,
    validate_social_organization_code,
)

PUBLISHED_EXAMPLE = "91350100M000100Y43"  # GB 32100-2015's own example


def message_of(code: str, kind: str | None = None) -> str:
    with pytest.raises(ValidationFailed) as info:
        if kind is None:
            validate_credit_code(code)
        else:
            validate_social_organization_code(code, kind)
    assert info.value.errors[0].field == "credit_code"
    return info.value.message


def test_published_example_is_valid():
    assert validate_credit_code(PUBLISHED_EXAMPLE) == PUBLISHED_EXAMPLE


def test_lower_case_and_spaces_are_normalized():
    assert validate_credit_code(f"  {PUBLISHED_EXAMPLE.lower()} ") == PUBLISHED_EXAMPLE


def test_empty_code_is_required():
    assert message_of("") == "请填写统一社会信用代码"


def test_wrong_length_says_how_long():
    assert message_of("91350100M000100Y4") == "统一社会信用代码应为 18 位，当前为 17 位"


def test_forbidden_letter_names_position():
    message = message_of("91350100M000100YO3")
    assert "第 17 位“O”不是合法字符" in message


def test_region_part_must_be_digits():
    code = "9135A100M000100Y4"
    code += check_character(code)
    assert "第 3–8 位" in message_of(code)


def test_wrong_check_character_says_expected():
    message = message_of("91350100M000100Y44")
    assert "第 18 位应为“3”，实际为“4”" in message


def test_social_organization_must_be_civil_affairs():
    assert "第 1 位应为“5”" in message_of(PUBLISHED_EXAMPLE, "social_group")


def test_kind_must_match_category():
    code = make_credit_code("51433124", "MJ000001")  # category 1: social group
    assert validate_social_organization_code(code, "social_group") == code
    message = message_of(code, "foundation")
    assert "第 2 位为“1”（社会团体）" in message and "基金会应为“3”" in message


first17 = st.text(alphabet=CHARSET, min_size=17, max_size=17).filter(lambda s: s[2:8].isdigit())


@given(first17)
def test_any_prefix_with_computed_check_is_valid(prefix):
    code = prefix + check_character(prefix)
    assert validate_credit_code(code) == code


@given(first17, st.integers(min_value=0, max_value=17), st.sampled_from(CHARSET))
def test_check_character_catches_any_single_substitution(prefix, position, replacement):
    code = prefix + check_character(prefix)
    if code[position] == replacement:
        return
    if 2 <= position < 8 and not replacement.isdigit():
        return  # caught earlier as a malformed region code; the check is the next test's subject
    altered = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationFailed):
        validate_credit_code(altered)
    # And the check character itself detects it: recomputing over the altered prefix disagrees.
    assert check_character(altered[:17]) != altered[17]


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
def test_make_credit_code_is_valid(body):
    code = make_credit_code("52433124", body)
    assert validate_social_organization_code(code, "social_service_agency") == code
