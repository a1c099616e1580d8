"""Signing the log's chain with a key kept outside the database.

The hash chain shows that an entry was changed, unless whoever changed it also recomputed every hash after
it: anyone who can write to the database can do that. So each entry's hash is also signed (Ed25519) with a
key that lives where the secret key lives (the environment or the data folder), never in the database. To
rewrite history unseen, one must now hold that key as well as the database.

What the signatures cannot show is a log cut short: the newest entries removed, the head moved back to an
earlier signed entry. Against that, members keep a head they saw (its position and hash) and check later
that the log still extends it (``commune audit verify --extends SEQ:HASH``).

A signature covers the organisation, the position and the entry's hash: ``commune-log:v1:ORG:SEQ:HASH``.
Keys are named by the first 16 hex digits of the SHA-256 of the raw public key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_key_hex(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    key_id: str
    public_hex: str


@cache
def _signing_key(seed_hex: str) -> SigningKey:
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))
    public = private.public_key()
    return SigningKey(private, key_id(public), public_key_hex(public))


def signing_key() -> SigningKey:
    """This instance's key (``settings.LOG_SIGNING_KEY``, 32 bytes as hex)."""
    return _signing_key(settings.LOG_SIGNING_KEY)


@cache
def _trusted(current_seed_hex: str, earlier_public_hex: tuple[str, ...]) -> dict[str, Ed25519PublicKey]:
    keys = {signing_key().key_id: signing_key().private.public_key()}
    for public_hex in earlier_public_hex:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        keys[key_id(public)] = public
    return keys


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """The keys whose signatures verify: this instance's own, and earlier ones the operator still trusts
    (``settings.LOG_TRUSTED_PUBLIC_KEYS``, for entries signed before the key was changed)."""
    return _trusted(settings.LOG_SIGNING_KEY, tuple(settings.LOG_TRUSTED_PUBLIC_KEYS))


def _message(organisation_id: int, seq: int, entry_hash: str) -> bytes:
    return f"commune-log:v1:{organisation_id}:{seq}:{entry_hash}".encode()


def entry_sign(*, organisation_id: int, seq: int, entry_hash: str) -> tuple[str, str]:
    """Sign one entry's hash with this instance's key: returns (key id, signature as hex)."""
    key = signing_key()
    return key.key_id, key.private.sign(_message(organisation_id, seq, entry_hash)).hex()


def entry_signature_valid(
    *, organisation_id: int, seq: int, entry_hash: str, signed_by: str, signature: str
) -> bool:
    public = trusted_keys().get(signed_by)
    if public is None:
        return False
    try:
        public.verify(bytes.fromhex(signature), _message(organisation_id, seq, entry_hash))
    except (InvalidSignature, ValueError):
        return False
    return True


def _checkpoint_message(organisation_id: int, seq: int, entry_hash: str) -> bytes:
    # Not the message an entry's signature covers: an entry's signature says "Commune wrote this entry", a
    # checkpoint's says "every entry up to this one was verified", and neither may pass for the other.
    return f"commune-checkpoint:v1:{organisation_id}:{seq}:{entry_hash}".encode()


def checkpoint_sign(*, organisation_id: int, seq: int, entry_hash: str) -> tuple[str, str]:
    """Sign a checkpoint (the chain verified in full up to ``seq``, which has ``entry_hash``)."""
    key = signing_key()
    return key.key_id, key.private.sign(_checkpoint_message(organisation_id, seq, entry_hash)).hex()


def checkpoint_signature_valid(
    *, organisation_id: int, seq: int, entry_hash: str, signed_by: str, signature: str
) -> bool:
    public = trusted_keys().get(signed_by)
    if public is None:
        return False
    try:
        public.verify(bytes.fromhex(signature), _checkpoint_message(organisation_id, seq, entry_hash))
    except (InvalidSignature, ValueError):
        return False
    return True
