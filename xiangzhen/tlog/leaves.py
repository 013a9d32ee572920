"""What a leaf is: the RFC 8785 canonical JSON of `{"kind", "number", "data"}`. Pure, no Django.

The kind and the record's number are inside the leaf so a leaf says what it is about even when
read alone (in a receipt, an export); the platform and the verifier build it with this one function.
"""

import hashlib
import hmac
from typing import Any

import rfc8785


def canonical_leaf(kind: str, number: str, data: dict[str, Any]) -> bytes:
    """Raises rfc8785.CanonicalizationError (a ValueError) for values JSON cannot carry exactly,
    e.g. a Decimal or a date: payload builders pass money and dates as strings."""
    return rfc8785.dumps({"kind": kind, "number": number, "data": data})


def commitment(value: str, salt: str) -> str:
    """Salted SHA-256 (hex) binding a record to a person without revealing them.

    The caller keeps `salt` (e.g. `secrets.token_hex(16)`) in its own, private row: with it the
    person can later be shown to be the one committed to; without it the hash reveals nothing
    that could be guessed from a small space such as phone or ID numbers.
    """
    if len(salt) < 16:
        raise ValueError("salt must be at least 16 characters of randomness")
    return hashlib.sha256(salt.encode() + b"\x00" + value.encode()).hexdigest()


def commitment_matches(value: str, salt: str, expected: str) -> bool:
    return hmac.compare_digest(commitment(value, salt), expected)
