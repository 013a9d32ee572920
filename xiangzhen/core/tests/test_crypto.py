from hypothesis import given
from hypothesis import strategies as st

from xiangzhen.core.crypto import decrypt, encrypt, lookup_hash, mask_id_number, mask_name, mask_phone


@given(st.text(min_size=1, max_size=200))
def test_encrypt_round_trips(value):
    token = encrypt(value)
    assert token.startswith("gAAAAA") and token != value
    assert decrypt(token) == value


def test_masks():
    assert mask_id_number("430524199001011234") == "4305**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("施成林") == "施**"


def test_lookup_hash_is_stable_and_case_blind():
    assert lookup_hash("43052419900101123x") == lookup_hash("43052419900101123X")
    assert lookup_hash("a") != lookup_hash("b")
