import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiangzhen.regions import codes
from xiangzhen.regions.codes import Level


@st.composite
def region_codes(draw) -> str:
    """A well-formed code of any level: non-zero parts down to the level, zeros after."""
    level = draw(st.sampled_from(codes.LEVEL_ORDER))
    length = codes.PREFIX_LENGTH[level]
    parts = {2: 2, 4: 2, 6: 2, 9: 3, 12: 3}
    code = ""
    for end in (2, 4, 6, 9, 12):
        if end > length:
            break
        width = parts[end]
        code += str(draw(st.integers(min_value=1, max_value=10**width - 1))).zfill(width)
    return code.ljust(12, "0")


def test_normalize_pads_prefixes_and_rejects_bad_input():
    assert codes.normalize("43") == "430000000000"
    assert codes.normalize(" 433124 ") == "433124000000"
    assert codes.normalize("433124110") == "433124110000"
    for bad in ("4", "43312", "43312411022", "4331241102261", "43a124", ""):
        with pytest.raises(ValueError, match="格式不正确"):
            codes.normalize(bad)


def test_level_of_known_codes():
    assert codes.level_of("430000000000") == Level.PROVINCE
    assert codes.level_of("433100000000") == Level.CITY
    assert codes.level_of("433124000000") == Level.COUNTY
    assert codes.level_of("433124110000") == Level.TOWNSHIP
    assert codes.level_of("433124110226") == Level.VILLAGE


def test_ancestor_codes_of_a_village():
    assert codes.ancestor_codes("433124110226") == [
        "430000000000",
        "433100000000",
        "433124000000",
        "433124110000",
    ]
    assert codes.ancestor_codes("430000000000") == []


@given(region_codes(), st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_subtree_bounds_contain_exactly_the_codes_sharing_the_prefix(code, other):
    lo, hi = codes.subtree_bounds(code)
    assert lo == code
    inside = lo <= other <= hi
    assert inside == other.startswith(codes.prefix(code))
    assert codes.contains(code, other) == inside


@given(region_codes(), st.data())
def test_every_descendant_lies_in_the_subtree(code, data):
    level = codes.level_of(code)
    own = codes.PREFIX_LENGTH[level]
    if own == 12:
        return
    suffix = data.draw(st.text(alphabet="0123456789", min_size=12 - own, max_size=12 - own))
    descendant = codes.prefix(code) + suffix
    lo, hi = codes.subtree_bounds(code)
    assert lo <= descendant <= hi
    assert code in [*codes.ancestor_codes(descendant), descendant]
    assert codes.contains(code, descendant)


@given(region_codes())
def test_level_prefix_and_ancestors_agree(code):
    level = codes.level_of(code)
    assert len(codes.prefix(code)) == codes.PREFIX_LENGTH[level]
    assert codes.prefix(code).ljust(12, "0") == code
    assert codes.normalize(codes.prefix(code)) == code
    ancestors = codes.ancestor_codes(code)
    assert len(ancestors) == codes.LEVEL_ORDER.index(level)
    assert ancestors == sorted(ancestors)
    for ancestor in ancestors:
        assert codes.contains(ancestor, code)
    assert [codes.level_of(a) for a in ancestors] == codes.LEVEL_ORDER[: len(ancestors)]
