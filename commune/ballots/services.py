"""Writes to the ballot boxes: opening, sealing and publishing the shuffled papers — for the ranked box
(an election's) and for the yes/no box of every other secret vote (motions, recall).

A box's owner decides who may vote and when; these services keep who voted apart from what was voted. An
election's casting, which checks its electorate and its candidates in the same statement as it writes the
box, is the elections app's (``commune.elections.services.casting``).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from commune.ballots.boxkeys import ranked_box_key_destroy, yes_no_box_key_destroy, yes_no_paper_seal
from commune.ballots.bulletin import ballot_leaf, merkle_root
from commune.ballots.errors import PaperConflict
from commune.ballots.models import (
    Ballot,
    BallotPaper,
    BulletinEntry,
    PaperChannel,
    PaperStatus,
    RankedBox,
    RegisterEntry,
    TellerEntry,
    YesNoBox,
    YesNoChoice,
    YesNoEncryptedPaper,
    YesNoPaper,
    YesNoRegisterEntry,
)
from commune.federation.models import Member

P = TypeVar("P", bound=Model)


# --- The ranked box -----------------------------------------------------------------------------------------


def ranked_box_open() -> RankedBox:
    """A new, empty ranked box; its owner keeps it (``Election.box``)."""
    return RankedBox.objects.create()


def ranked_register_close(*, box_id: int) -> int:
    """Wipe the register's encrypted pointers to ballots (the re-voting aid) and return how many voted.
    Call inside the owner's exclusive row lock, once the owner has closed voting."""
    RegisterEntry.objects.filter(box_id=box_id, current_ballot_encrypted__isnull=False).update(
        current_ballot_encrypted=None
    )
    return RegisterEntry.objects.filter(box_id=box_id).count()


def ranked_bulletin_publish(*, box_id: int) -> tuple[list[BulletinEntry], str]:
    """Move the box's papers into its published bulletin: decrypted, shuffled with the operating system's
    CSPRNG, rewritten in plain with fresh random ids in this one transaction, the encrypted originals
    deleted and, once it commits, the box key destroyed. Returns the entries in bulletin order (by
    tracker) and their Merkle root. Call inside the owner's row lock, once voting is closed."""
    box = RankedBox.objects.select_for_update().get(pk=box_id)
    paper_channel_close(ranked_box_id=box_id)
    entries = papers_shuffle_rewrite(
        Ballot.objects.filter(box=box),
        lambda ballot: {"tracker": ballot.tracker, "ranking": ballot.ranking, "weight": ballot.weight},
        BulletinEntry,
        key_destroy=lambda: ranked_box_key_destroy(box_id),
        box=box,
    )
    box.sealed_at = timezone.now()
    box.save(update_fields=["sealed_at"])
    entries.sort(key=lambda e: e.tracker)
    root = merkle_root(ballot_leaf(tracker=e.tracker, ranking=e.ranking, weight=e.weight) for e in entries)
    return entries, root


# --- What every secret box shares -------------------------------------------------------------------------


def papers_shuffle_rewrite(
    papers: QuerySet[Any],
    opened: Callable[[Any], dict[str, Any]],
    into: type[P],
    *,
    key_destroy: Callable[[], None],
    **fixed: Any,
) -> list[P]:
    """Seal a box's encrypted ``papers``: decrypt each (``opened`` gives its plain fields), shuffle them
    with the operating system's CSPRNG, delete the encrypted rows and write the papers in plain into
    ``into`` with fresh random ids and the ``fixed`` values, so that not even the rows' keys or physical
    order remember the order of casting. Once the transaction commits, the box key is destroyed
    (``key_destroy``) and the deleted rows' dead versions are vacuumed: what is left of the voting period
    in pages, WAL and backups is ciphertext under a key that no longer exists. Returns the new papers in
    their shuffled order. Call inside the owner's row lock."""
    rows = [opened(paper) for paper in papers]
    secrets.SystemRandom().shuffle(rows)
    rewritten = [into(id=uuid.uuid4(), **fixed, **row) for row in rows]
    if connection.vendor == "sqlite":
        # Deleted rows' bytes are overwritten with zeros, not left in the file's free pages.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    papers.delete()
    into._default_manager.bulk_create(rewritten, batch_size=2000)
    tables = {papers.model._meta.db_table, into._meta.db_table}
    transaction.on_commit(key_destroy)
    transaction.on_commit(lambda: box_vacuum(*tables))
    return rewritten


def box_vacuum(*tables: str) -> None:
    """On PostgreSQL, reclaim the deleted papers' dead row versions (which keep their transaction ids)
    at once rather than whenever autovacuum comes by; the ranked box's and its register's if no table is named. Outside any
    transaction only (``papers_shuffle_rewrite`` calls it once its transaction commits). SQLite needs
    nothing here: it deletes with ``secure_delete`` on."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in tables or (Ballot._meta.db_table, RegisterEntry._meta.db_table):
            cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")


# --- The yes/no box -----------------------------------------------------------------------------------------


def yes_no_box_open() -> YesNoBox:
    """A new, empty box for a secret yes/no vote; its owner keeps it (``Vote.box``, ``RecallBallot.box``)."""
    return YesNoBox.objects.create()


def yes_no_cast(*, box_id: int, member: Member, choice: str) -> bool:
    """Enter ``member`` on the box's register and put their ``choice`` in the box, with nothing linking the
    two. ``False``, writing nothing, if they are already on the register: one vote each, final once cast.

    The paper is stored encrypted under the box key (``boxkeys``) until the seal. Precondition: inside the
    owner's row lock, the owner having checked that the vote is open and the member entitled to it (what
    "open" and "entitled" mean is the owner's)."""
    if not yes_no_paper_put(box_id=box_id, member=member, choice=choice):
        return False
    papers_cancel_for_vote_cast(box_id=box_id, member=member)
    return True


def yes_no_paper_put(*, box_id: int, member: Member, choice: str) -> bool:
    """The register entry and the encrypted paper of one vote, whichever way it came (online, or a paper
    the tellers agreed on); ``False``, writing nothing, if the member is already on the register."""
    if choice not in YesNoChoice.values:
        raise ValueError(f"not a yes/no choice: {choice!r}")
    try:
        with transaction.atomic():
            YesNoRegisterEntry.objects.create(box_id=box_id, member=member)
    except IntegrityError:
        return False
    YesNoEncryptedPaper.objects.create(
        id=uuid.uuid4(), box_id=box_id, encrypted=yes_no_paper_seal(box_id, choice)
    )
    return True


def yes_no_seal(*, box_id: int) -> dict[str, int]:
    """Count the box and seal it: its papers decrypted, shuffled and written in plain with fresh keys
    (``papers_shuffle_rewrite``), the box key destroyed, the box marked sealed. Returns the totals by
    choice. Call inside the owner's row lock, once the owner has decided the vote is over."""
    box = YesNoBox.objects.select_for_update().get(pk=box_id)
    paper_channel_close(box_id=box_id)
    papers = papers_shuffle_rewrite(
        YesNoEncryptedPaper.objects.filter(box=box),
        lambda paper: {"choice": paper.choice},
        YesNoPaper,
        key_destroy=lambda: yes_no_box_key_destroy(box_id),
        box=box,
    )
    box.sealed_at = timezone.now()
    box.save(update_fields=["sealed_at"])
    totals = dict.fromkeys(YesNoChoice.values, 0)
    for paper in papers:
        totals[paper.choice] += 1
    return totals


# --- The paper channel, as the boxes see it -------------------------------------------------------------------


def papers_cancel_for_vote_cast(*, box_id: int, member: Member, ranked: bool = False) -> int:
    """A member whose vote reached the box (a yes/no box, or the ``ranked`` box ``box_id``) another way
    (online) has any paper of theirs still live on the box's paper channel cancelled: one vote per member
    across channels, the first to reach the box counting. A cancelled paper returned later is rejected
    (``papers.paper_enter``). Returns how many."""
    on_box = {"channel__ranked_box_id": box_id} if ranked else {"channel__questions__box_id": box_id}
    live = BallotPaper.objects.filter(
        **on_box, member=member, status__in=[PaperStatus.OUT, PaperStatus.ENTERED, PaperStatus.DISPUTED]
    )
    paper_ids = list(live.values_list("pk", flat=True))
    if not paper_ids:
        return 0
    TellerEntry.objects.filter(paper_id__in=paper_ids).delete()
    return BallotPaper.objects.filter(pk__in=paper_ids).update(
        status=PaperStatus.CANCELLED, reason="the member voted online"
    )


def paper_channel_close(*, box_id: int | None = None, ranked_box_id: int | None = None) -> None:
    """As a box of a paper channel (a yes/no ``box_id``, or a ``ranked_box_id``) is sealed, the channel
    closes: no paper is issued or counted after (one returned then is recorded as late). Refused while any
    paper returned waits for its second teller or for a dispute to be resolved, so that no teller can keep
    a paper out of the count by disagreeing at the last moment. Call inside the owner's row lock, before
    the papers are rewritten."""
    channels = PaperChannel.objects.select_for_update()
    channel = (
        channels.filter(questions__box_id=box_id)
        if ranked_box_id is None
        else channels.filter(ranked_box_id=ranked_box_id)
    ).first()
    if channel is None:
        return
    pending = BallotPaper.objects.filter(
        channel=channel, status__in=[PaperStatus.ENTERED, PaperStatus.DISPUTED]
    ).count()
    if pending:
        raise PaperConflict(
            ngettext(
                "%(count)s returned paper still waits for a second teller or a resolved dispute: enter or resolve "
                "it before the count",
                "%(count)s returned papers still wait for a second teller or a resolved dispute: enter or resolve "
                "them before the count",
                pending,
            )
            % {"count": pending}
        )
    if channel.closed_at is None:
        channel.closed_at = timezone.now()
        channel.save(update_fields=["closed_at"])
    # None should be left (a counted paper's readings are deleted as it is counted); any that are go
    # with the encrypted papers, before the box key is destroyed.
    TellerEntry.objects.filter(paper__channel=channel).delete()
