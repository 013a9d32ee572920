import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from xiangzhen.tlog import conf, leaves


def test_canonical_leaf_is_rfc8785():
    assert leaves.canonical_leaf("k", "N-1", {"b": "2.00", "a": [1, "乡"]}) == (
        '{"data":{"a":[1,"乡"],"b":"2.00"},"kind":"k","number":"N-1"}'.encode()
    )


def test_commitment_binds_without_revealing():
    salt = "a1b2c3d4e5f6a7b8c9d0"
    value = leaves.commitment("13974300000", salt)
    assert len(value) == 64 and "13974300000" not in value
    assert leaves.commitment_matches("13974300000", salt, value)
    assert not leaves.commitment_matches("13974300001", salt, value)
    assert leaves.commitment("13974300000", "f" * 20) != value
    with pytest.raises(ValueError):
        leaves.commitment("x", "short")


def test_signing_key_from_a_pem_file(settings, tmp_path):
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "k.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    settings.TLOG_SIGNING_KEY = str(path)
    assert conf.signing_key().public_key().public_bytes_raw() == key.public_key().public_bytes_raw()


def test_without_a_key_production_refuses_and_debug_keeps_one_under_var(settings, tmp_path):
    settings.TLOG_SIGNING_KEY = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        conf.signing_key()
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    first = conf.signing_key().public_key().public_bytes_raw()
    assert (tmp_path / "tlog-signing-key.pem").stat().st_mode & 0o077 == 0
    conf._load_key.cache_clear()
    assert conf.signing_key().public_key().public_bytes_raw() == first


def test_origin_names_the_configured_hash(settings):
    settings.TLOG_HASH = "sm3"
    assert conf.origin() == "xiangzhen.local/tlog/sm3" and conf.hasher().name == "sm3"
    settings.TLOG_HASH = "md5"
    with pytest.raises(ValueError):
        conf.hasher()
