from datetime import datetime

from ninja import Schema


class CheckpointOut(Schema):
    origin: str
    tree_size: int
    root_hash: str
    root_hash_base64: str
    note: str
    created_at: datetime
    cosignatures: list[str]


class EntryOut(Schema):
    index: int
    kind: str
    number: str
    leaf: str
    leaf_hash: str
    created_at: datetime


class CurrentLeafOut(Schema):
    index: int | None = None
    kind: str
    number: str
    leaf: str | None


class InclusionProofOut(Schema):
    index: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    proof: list[str]


class ConsistencyProofOut(Schema):
    first: int
    second: int
    first_root_hash: str
    second_root_hash: str
    proof: list[str]


class PublicKeyOut(Schema):
    origin: str
    hash: str
    key_name: str
    verifier_key: str
    public_key_base64: str


class CosignatureIn(Schema):
    line: str
