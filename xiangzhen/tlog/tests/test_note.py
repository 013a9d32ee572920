"""Signed notes and checkpoints: the Go sumdb/note reference vector, round trips, tampering."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from xiangzhen.tlog import note

# golang.org/x/mod/sumdb/note's documented example, byte for byte.
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SEED = base64.b64decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")[1:]
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_signing_reproduces_the_go_reference_note():
    key = Ed25519PrivateKey.from_private_bytes(GO_SEED)
    assert note.sign(GO_TEXT, "PeterNeumann", key) == GO_NOTE
    assert note.verifier_key("PeterNeumann", key.public_key()).text() == GO_VKEY


def test_the_go_reference_note_opens_with_its_verifier_key():
    assert note.open_note(GO_NOTE, note.parse_verifier_key(GO_VKEY)) == GO_TEXT


def make_key(name="xiangzhen.local/tlog/sha256"):
    private = Ed25519PrivateKey.generate()
    return private, note.verifier_key(name, private.public_key())


def test_checkpoint_round_trip():
    private, vkey = make_key()
    body = note.Checkpoint("xiangzhen.local/tlog/sha256", 42, bytes(range(32))).body()
    assert body == "xiangzhen.local/tlog/sha256\n42\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n"
    signed = note.sign(body, vkey.name, private)
    checkpoint = note.verify_checkpoint(signed, note.parse_verifier_key(vkey.text()), "xiangzhen.local/tlog/sha256")
    assert (checkpoint.size, checkpoint.root) == (42, bytes(range(32)))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: s.replace("\n42\n", "\n43\n"),
        lambda s: s.replace("AAEC", "AAED"),
        lambda s: s.replace("xiangzhen.local", "xiangzhen.evil"),
        lambda s: s[:-6] + ("A" if s[-6] != "A" else "B") + s[-5:],
    ],
    ids=["size", "root", "origin", "signature"],
)
def test_a_tampered_checkpoint_is_rejected(tamper):
    private, vkey = make_key()
    signed = note.sign(note.Checkpoint(vkey.name, 42, bytes(range(32))).body(), vkey.name, private)
    with pytest.raises(note.NoteError):
        note.verify_checkpoint(tamper(signed), vkey)


def test_a_checkpoint_signed_by_another_key_with_the_same_name_is_rejected():
    _, vkey = make_key()
    other, _ = make_key()
    signed = note.sign(note.Checkpoint(vkey.name, 1, b"\x00" * 32).body(), vkey.name, other)
    with pytest.raises(note.NoteError):
        note.verify_checkpoint(signed, vkey)


def test_a_mangled_verifier_key_is_refused():
    with pytest.raises(note.NoteError):
        note.parse_verifier_key(GO_VKEY.replace("c74f20a3", "c74f20a4"))
    with pytest.raises(note.NoteError):
        note.parse_verifier_key("PeterNeumann+c74f20a3")


def test_witness_cosignature_round_trip_and_rejection():
    _, vkey = make_key()
    body = note.Checkpoint(vkey.name, 7, b"\x01" * 32).body()
    witness = Ed25519PrivateKey.generate()
    line = note.cosign(body, "witness.hunan", witness, 1_700_000_000)
    assert note.verify_cosignature(body, line, "witness.hunan", witness.public_key()) == 1_700_000_000
    with pytest.raises(note.NoteError):
        note.verify_cosignature(body.replace("\n7\n", "\n8\n"), line, "witness.hunan", witness.public_key())
    with pytest.raises(note.NoteError):
        note.verify_cosignature(body, line, "witness.hunan", Ed25519PrivateKey.generate().public_key())
