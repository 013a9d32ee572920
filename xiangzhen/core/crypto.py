"""Personal data of people in difficulty: encrypted at rest, masked on screen.

Fields store Fernet tokens (AES-128-CBC with HMAC-SHA256). The key comes from
XIANGZHEN_FIELD_KEYS (comma-separated, newest first, so keys can be rotated); without it a key
is derived from SECRET_KEY, which is only good enough for `make run`.
"""

import base64
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet() -> MultiFernet:
    keys = [k.strip() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []) if k.strip()]
    if not keys:
        derived = hashlib.sha256(("xiangzhen-field-key:" + settings.SECRET_KEY).encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("个人信息无法解密：密钥不符") from None


class EncryptedTextField(models.TextField):
    """A text field whose value is encrypted in the database; empty stays empty.

    It cannot be filtered on (the ciphertext differs every time); keep a separate keyed hash if
    a lookup by value is needed.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


def lookup_hash(value: str) -> str:
    """A keyed hash for finding a record by a personal value (an ID number) without decrypting."""
    key = hashlib.sha256(("xiangzhen-lookup:" + settings.SECRET_KEY).encode()).digest()
    return hashlib.blake2b(value.strip().upper().encode(), key=key, digest_size=32).hexdigest()


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    return digits[:3] + "*" * max(len(digits) - 7, 0) + digits[-4:] if len(digits) >= 7 else "*" * len(digits)


def mask_id_number(number: str) -> str:
    """4305**********1234: region prefix and last four, as the design asks."""
    n = number.strip()
    return n[:4] + "*" * max(len(n) - 8, 0) + n[-4:] if len(n) > 8 else "*" * len(n)


def mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""
