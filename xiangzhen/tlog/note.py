"""C2SP signed notes, tlog-checkpoint bodies and tlog-cosignature/v1, with Ed25519. Pure, no Django.

A checkpoint body is `<origin>\\n<tree size>\\n<base64 root hash>\\n`; the signed note appends a
blank line and one line per signature: `— <key name> <base64(4-byte key id ‖ signature)>`.
The key id is the first four bytes of SHA-256(key name ‖ "\\n" ‖ type ‖ public key), type 0x01 for
an Ed25519 note signature and 0x04 for a witness cosignature. Public keys travel as verifier keys
`<name>+<hex key id>+<base64(0x01 ‖ public key)>` (golang.org/x/mod/sumdb/note).
"""

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014 "


class NoteError(ValueError):
    """A note or key that is malformed or whose signature does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "".join(f"{line}\n" for line in lines)


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: bytes
    public_key: Ed25519PublicKey

    def raw(self) -> bytes:
        return self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def text(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(bytes([ED25519]) + self.raw()).decode()}"


def key_id(name: str, sig_type: int, public_raw: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_raw).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise NoteError("key name must be non-empty, without spaces or '+'")


def verifier_key(name: str, public_key: Ed25519PublicKey) -> VerifierKey:
    _check_name(name)
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return VerifierKey(name, key_id(name, ED25519, raw), public_key)


def parse_verifier_key(text: str) -> VerifierKey:
    try:
        name, hex_id, b64 = text.strip().split("+", 2)
        data = base64.b64decode(b64, validate=True)
        declared = bytes.fromhex(hex_id)
    except ValueError:
        raise NoteError("verifier key must be <name>+<hex key id>+<base64 key>") from None
    if len(data) != 33 or data[0] != ED25519:
        raise NoteError("verifier key is not an Ed25519 key")
    key = verifier_key(name, Ed25519PublicKey.from_public_bytes(data[1:]))
    if key.key_id != declared:
        raise NoteError("verifier key id does not match the key")
    return key


def _signature_line(name: str, kid: bytes, sig: bytes) -> str:
    return f"{DASH}{name} {base64.b64encode(kid + sig).decode()}\n"


def sign(body: str, name: str, private_key: Ed25519PrivateKey) -> str:
    """A signed note with one signature. `body` must end with a newline."""
    _check_name(name)
    if not body.endswith("\n"):
        raise NoteError("note text must end with a newline")
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return f"{body}\n{_signature_line(name, key_id(name, ED25519, raw), private_key.sign(body.encode()))}"


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_id: bytes
    signature: bytes


def split(note: str) -> tuple[str, list[SignatureLine]]:
    """The signed text and its signature lines; NoteError if the note is malformed."""
    body, sep, sigs = note.rpartition("\n\n")
    if not sep or not sigs.endswith("\n"):
        raise NoteError("not a signed note: missing blank line or final newline")
    lines: list[SignatureLine] = []
    for line in sigs[:-1].split("\n"):
        if not line.startswith(DASH):
            raise NoteError("malformed signature line")
        try:
            name, b64 = line[len(DASH) :].split(" ")
            data = base64.b64decode(b64, validate=True)
        except ValueError:
            raise NoteError("malformed signature line") from None
        if len(data) < 5:
            raise NoteError("signature too short")
        lines.append(SignatureLine(name, data[:4], data[4:]))
    return body + "\n", lines


def open_note(note: str, key: VerifierKey) -> str:
    """The note's text if `key` signed it; NoteError otherwise."""
    text, lines = split(note)
    for line in lines:
        if line.name == key.name and line.key_id == key.key_id:
            try:
                key.public_key.verify(line.signature, text.encode())
            except InvalidSignature:
                raise NoteError("signature does not verify") from None
            return text
    raise NoteError(f"note has no signature by {key.name}")


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("checkpoint must have origin, size and root lines")
    origin, size_text, root_text, *extensions = lines[:-1]
    if not origin or not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise NoteError("malformed checkpoint origin or size")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError:
        raise NoteError("malformed checkpoint root hash") from None
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def verify_checkpoint(note: str, key: VerifierKey, origin: str | None = None) -> Checkpoint:
    checkpoint = parse_checkpoint(open_note(note, key))
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    return checkpoint


# ---------------------------------------------------------------- witness cosignatures


def cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def cosign(body: str, name: str, private_key: Ed25519PrivateKey, timestamp: int) -> str:
    """A witness's cosignature line for a checkpoint body (C2SP tlog-cosignature)."""
    _check_name(name)
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    sig = private_key.sign(cosigned_message(body, timestamp))
    data = key_id(name, COSIGNATURE_V1, raw) + struct.pack(">Q", timestamp) + sig
    return f"{DASH}{name} {base64.b64encode(data).decode()}\n"


def verify_cosignature(body: str, line: str, name: str, public_key: Ed25519PublicKey) -> int:
    """The timestamp the witness signed, if `line` is its valid cosignature on `body`."""
    _, lines = split(f"x\n\n{line if line.endswith(chr(10)) else line + chr(10)}")
    (sig,) = lines
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if sig.name != name or sig.key_id != key_id(name, COSIGNATURE_V1, raw) or len(sig.signature) != 72:
        raise NoteError("cosignature is not from this witness key")
    timestamp = struct.unpack(">Q", sig.signature[:8])[0]
    try:
        public_key.verify(sig.signature[8:], cosigned_message(body, timestamp))
    except InvalidSignature:
        raise NoteError("cosignature does not verify") from None
    return int(timestamp)
