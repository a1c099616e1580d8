"""The keys of the ballot boxes: one per box, kept outside the database, destroyed when the box is sealed.

While a box is open, everything in it that says what was voted — a ranked ballot's tracker, ranking and
weight, a yes/no paper's choice, and the register's pointer to a voter's current ballot for re-voting — is
stored encrypted (AES-256-GCM) under the box's key. The key is a file of its own in the box keys folder
(``settings.BOX_KEYS_DIR``, by default ``box_keys`` in the data folder), written when the first paper goes
in, never in the database. Sealing decrypts the papers, writes them afresh as the plain bulletin in
shuffled order, deletes the encrypted rows and then destroys the key. What the database keeps of the
voting period — dead row versions, free space in its pages, its write-ahead log, its backups — is
ciphertext under a key that no longer exists. See ``docs/principles.md`` (secrecy at rest).

Each ciphertext is bound to its box and to what it is (``purpose``), so that no row can be moved to
another box or read as something else. Plaintexts are padded to a fixed length, so that a ciphertext's
length says nothing of the ranking inside it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from commune.errors import DomainError, ErrorKind

__all__ = [
    "BoxKeyMissing",
    "RankedPaper",
    "box_key_destroy",
    "box_key_exists",
    "petition_key_destroy",
    "petition_signer_digest",
    "pledge_digest",
    "pledge_key_destroy",
    "ranked_ballot_seal",
    "ranked_box_key_destroy",
    "ranked_paper_open",
    "ranked_paper_seal",
    "register_pointer_open",
    "register_pointer_seal",
    "teller_entry_open",
    "teller_entry_seal",
    "yes_no_box_key_destroy",
    "yes_no_paper_open",
    "yes_no_paper_seal",
]

#: The ranked box's kind is named as it was when the box was keyed to its election: the name is bound into
#: every key file and ciphertext, and a box carried across kept its election's id (``RankedBox``).
RANKED = "election"
YES_NO = "yes-no"
PETITION = "petition"
PLEDGE = "pledge"
_NONCE = 12
#: Preferences are padded to a multiple of this many slots: every ranking of up to 64 candidates takes
#: the same space, so a ciphertext's length does not tell how many candidates were ranked.
_SLOTS = 64


class BoxKeyMissing(DomainError):
    """A box's key is not in the box keys folder (or does not open its papers): the box cannot be read
    and so cannot be counted (see ``docs/operating.md``)."""

    kind = ErrorKind.CONFLICT


def _folder() -> Path:
    return Path(settings.BOX_KEYS_DIR)


def _path(kind: str, box_id: int) -> Path:
    return _folder() / f"{kind}-{int(box_id)}.key"


def _key(kind: str, box_id: int, *, create: bool) -> bytes:
    """The box's key, read from its file each time (a key cached in memory would outlive its file).
    ``create``: make it if there is none, written whole under another name and then linked into place,
    so that casts arriving together all use the one key that won."""
    try:
        # The file's name joined, without ``pathlib``, and read with the system's calls alone, without a
        # file object (which asks the file's size and position first): every cast reads it.
        descriptor = os.open(os.path.join(settings.BOX_KEYS_DIR, f"{kind}-{int(box_id)}.key"), os.O_RDONLY)
    except FileNotFoundError:
        if not create:
            raise BoxKeyMissing(f"the key of {kind} box {box_id} is not in {_folder()}") from None
    else:
        try:
            chunks = []
            while chunk := os.read(descriptor, 4096):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(descriptor)
    path = _path(kind, box_id)
    _folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(descriptor, AESGCM.generate_key(bit_length=256))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_bytes()


def box_key_exists(kind: str, box_id: int) -> bool:
    return _path(kind, box_id).exists()


def box_key_destroy(kind: str, box_id: int) -> None:
    """Destroy the box's key: overwrite the file with random bytes, flush it to the disk, remove it.
    (On a copy-on-write or flash file system the old blocks may linger on the device until reused; the
    folder belongs on the server's own disk and never in a backup: ``docs/operating.md``.)"""
    path = _path(kind, box_id)
    try:
        descriptor = os.open(path, os.O_WRONLY)
    except FileNotFoundError:
        return
    try:
        os.write(descriptor, secrets.token_bytes(max(os.fstat(descriptor).st_size, 32)))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    path.unlink(missing_ok=True)


def _seal(kind: str, box_id: int, purpose: str, plaintext: bytes) -> bytes:
    return _sealed(AESGCM(_key(kind, box_id, create=True)), kind, box_id, purpose, plaintext)


def _sealed(cipher: AESGCM, kind: str, box_id: int, purpose: str, plaintext: bytes) -> bytes:
    """``plaintext`` sealed with ``cipher``, the key of ``kind`` box ``box_id``."""
    nonce = secrets.token_bytes(_NONCE)
    return nonce + cipher.encrypt(nonce, plaintext, _bound(kind, box_id, purpose))


def _open(kind: str, box_id: int, purpose: str, ciphertext: bytes | memoryview) -> bytes:
    data = bytes(ciphertext)
    try:
        return AESGCM(_key(kind, box_id, create=False)).decrypt(
            data[:_NONCE], data[_NONCE:], _bound(kind, box_id, purpose)
        )
    except InvalidTag:
        raise BoxKeyMissing(f"a paper of {kind} box {box_id} does not open with its key") from None


def _bound(kind: str, box_id: int, purpose: str) -> bytes:
    return f"commune-box:v1:{kind}:{int(box_id)}:{purpose}".encode()


# --- The ranked box ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedPaper:
    """What a ranked ballot says. (Its weight is the voter's, as public as the electorate, and stays a
    plain column of the ballot.)"""

    tracker: str
    ranking: list[int]


def ranked_paper_seal(box_id: int, paper: RankedPaper) -> bytes:
    """A ranked ballot, encrypted: tracker (ASCII), the number of preferences and each candidacy id,
    padded with zeros to a multiple of 64 preferences."""
    return _seal(RANKED, box_id, "ballot", _ranked_plain(paper))


def _ranked_plain(paper: RankedPaper) -> bytes:
    slots = -(-max(len(paper.ranking), 1) // _SLOTS) * _SLOTS
    tracker = paper.tracker.encode("ascii")
    plain = struct.pack(f">B{len(tracker)}sH", len(tracker), tracker, len(paper.ranking))
    return plain + struct.pack(f">{slots}Q", *paper.ranking, *([0] * (slots - len(paper.ranking))))


def ranked_ballot_seal(
    box_id: int, paper: RankedPaper, member_id: int, ballot_id: uuid.UUID
) -> tuple[bytes, bytes]:
    """A first ballot's paper and the register's pointer to it (``ranked_paper_seal``,
    ``register_pointer_seal``), sealed under the box key read from its file once for both."""
    cipher = AESGCM(_key(RANKED, box_id, create=True))
    return (
        _sealed(cipher, RANKED, box_id, "ballot", _ranked_plain(paper)),
        _sealed(cipher, RANKED, box_id, _pointer_purpose(member_id), ballot_id.bytes),
    )


def ranked_paper_open(box_id: int, ciphertext: bytes | memoryview) -> RankedPaper:
    plain = _open(RANKED, box_id, "ballot", ciphertext)
    size = plain[0]
    tracker, count = struct.unpack_from(f">{size}sH", plain, 1)
    ranking = struct.unpack_from(f">{count}Q", plain, 1 + size + 2)
    return RankedPaper(tracker.decode("ascii"), list(ranking))


def register_pointer_seal(box_id: int, member_id: int, ballot_id: uuid.UUID) -> bytes:
    """The id of a voter's current ballot, encrypted for the register (re-voting only), bound to the
    member so that it cannot be moved to another register row."""
    return _seal(RANKED, box_id, _pointer_purpose(member_id), ballot_id.bytes)


def register_pointer_open(box_id: int, member_id: int, ciphertext: bytes | memoryview) -> uuid.UUID:
    return uuid.UUID(bytes=_open(RANKED, box_id, _pointer_purpose(member_id), ciphertext))


def _pointer_purpose(member_id: int) -> str:
    return f"pointer:{int(member_id)}"


def ranked_box_key_destroy(box_id: int) -> None:
    box_key_destroy(RANKED, box_id)


# --- The yes/no box ---------------------------------------------------------------------------------------


def yes_no_paper_seal(box_id: int, choice: str) -> bytes:
    """A yes/no paper, encrypted: the choice padded to eight bytes."""
    return _seal(YES_NO, box_id, "paper", choice.encode("ascii").ljust(8, b"\0"))


def yes_no_paper_open(box_id: int, ciphertext: bytes | memoryview) -> str:
    return _open(YES_NO, box_id, "paper", ciphertext).rstrip(b"\0").decode("ascii")


def yes_no_box_key_destroy(box_id: int) -> None:
    box_key_destroy(YES_NO, box_id)


# --- Keyed signatures: a recall petition's, a pledge campaign's ---------------------------------------


def _signer_digest(kind: str, owner_id: int, member_id: int, *, create: bool, word: str) -> str | None:
    """HMAC-SHA256 of (owner, member) under the owner's own key, kept like a box key: one digest per person,
    so a unique column holds each person once, and only the key tells whose a digest is. ``None`` if the
    owner has no key (never signed under one, or ended and its key destroyed); ``create`` makes one."""
    try:
        key = _key(kind, owner_id, create=create)
    except BoxKeyMissing:
        return None
    message = f"commune-{word}:v1:{int(owner_id)}:{int(member_id)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def petition_signer_digest(petition_id: int, member_id: int, *, create: bool) -> str | None:
    """The keyed digest that stands for the member's signature of a recall petition (HMAC-SHA256 under
    the petition's own key, kept like a box key). ``None`` if the petition has no key: it was never
    signed under one, or it has ended and its key was destroyed (``create`` makes one, for signing)."""
    return _signer_digest(PETITION, petition_id, member_id, create=create, word="signature")


def petition_key_destroy(petition_id: int) -> None:
    """Once a petition stops gathering no one, not even with the database and the server's secret key,
    can test whether a given member signed it."""
    box_key_destroy(PETITION, petition_id)


def pledge_digest(campaign_id: int, member_id: int, *, create: bool) -> str | None:
    """The keyed digest that stands for the member's pledge in a pledge campaign, under the campaign's own
    key (as ``petition_signer_digest``). ``None`` once the campaign has ended and its key was destroyed."""
    return _signer_digest(PLEDGE, campaign_id, member_id, create=create, word="pledge")


def pledge_key_destroy(campaign_id: int) -> None:
    """Once a campaign stops taking pledges no one can test whether a given member pledged."""
    box_key_destroy(PLEDGE, campaign_id)


def teller_entry_seal(box_id: int, paper_id: int, answers: tuple[str, ...], *, kind: str = YES_NO) -> bytes:
    """A teller's reading of a paper (one answer per question, or one preference per candidate of a ranked
    paper: ``kind`` ``RANKED``), encrypted under the key of its box (of its first question's) and bound to
    the paper, padded to a multiple of 64 bytes fixed by the number of answers, so that every reading of
    one ballot has one length."""
    width = max(64, -(-4 * len(answers) // 64) * 64)
    return _seal(
        kind, box_id, f"teller-entry:{int(paper_id)}", ",".join(answers).encode("ascii").ljust(width, b"\0")
    )


def teller_entry_open(
    box_id: int, paper_id: int, ciphertext: bytes | memoryview, *, kind: str = YES_NO
) -> tuple[str, ...]:
    plain = _open(kind, box_id, f"teller-entry:{int(paper_id)}", ciphertext).rstrip(b"\0").decode("ascii")
    return tuple(plain.split(","))
