"""Writes of the paper channel: ballot papers issued under unique codes, beside voting online, for any
secret vote: a yes/no vote, a statutory ballot's separate questions answered on one paper, or a ranked
vote whose paper lists the candidates (what differs between the boxes is ``paper_boxes``).

The rules, each held here whoever owns the boxes:

* **One vote per member across channels.** A paper is never issued to a member already on the register
  of one of its boxes (they voted online: refused). A member who votes online while a paper of theirs is
  out has it cancelled (``services.papers_cancel_for_vote_cast``); returned, it is rejected, not counted.
  A paper counted, or rejected whole (invalid, or rejected on a dispute), puts the member on every box's
  register, so they can no longer vote online nor be issued a new paper: as a returning officer counts
  it, a member whose paper is rejected has voted. The first vote to reach the box counts; the
  database's one-register-row-per-member is the last word.
* **One paper, one count.** A code is counted at most once: entered again after it was counted, spoiled
  or rejected, it is refused and changes nothing.
* **Two tellers.** Each returned paper is read by two different tellers. Their readings, kept encrypted
  under the box key, must agree for the paper to count; if they differ the paper goes on the dispute
  queue, which only a third teller resolves, with a reason; nothing is counted until then, and the box
  cannot be sealed while a paper waits.
* **Spoiled and lost papers.** A paper returned spoiled, or reported lost, is replaced by a new paper
  under a new code; the old one is spoiled (returned) or cancelled (not returned), never counted.

* **Late papers.** A paper returned after the vote closed (the owner says when: ``closed``) or after the
  count is recorded as late, and never counted.

A yes/no reading gives one answer per question: ``yes``, ``no`` or ``void`` (unmarked, or marked both
ways), which goes into the box as an abstention: taking part, but neither yes nor no. A ranked reading
gives the number written against each candidate (or nothing); two readings agree when they give the
same ranking, and a paper with no first preference, or with the figure 1 against two candidates, is
rejected with that reason (``commune.tally.paper_marks``). A whole paper may otherwise be rejected only
by resolving a dispute (``reject``), with the reason.

The owner of the boxes decides who may be issued a paper and holds its row lock around every call; these
services log nothing (the owner logs, naming its organisation).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commune.ballots.boxkeys import teller_entry_open, teller_entry_seal
from commune.ballots.errors import PaperConflict, PaperError, PaperRefused
from commune.ballots.models import (
    BallotPaper,
    PaperChannel,
    PaperDispute,
    PaperQuestion,
    PaperStatus,
    RankedBox,
    TellerEntry,
    YesNoBox,
)
from commune.ballots.paper_boxes import ANSWERS, INVALID, PaperBoxes, channel_boxes
from commune.ballots.selectors import LOST
from commune.ballots.trackers import TRACKER_ALPHABET
from commune.federation.models import Member

__all__ = [
    "ANSWERS",
    "INVALID",
    "MINIMUM_TELLERS",
    "RESOLUTIONS",
    "paper_channel_open",
    "paper_code_normalise",
    "paper_dispute_resolve",
    "paper_enter",
    "paper_replace",
    "papers_issue",
    "ranked_paper_channel_open",
]

#: Why a dispute is settled as it is: fixed words, never free text, because a dispute stays tied to its
#: paper (and so to its member) and a reason written freely could say what the paper said.
RESOLUTIONS = {
    "mark_clear": ("count", gettext_noop("read again by a third teller: the mark is clear")),
    "intention_clear": (
        "count",
        gettext_noop("read again by a third teller: the voter's intention is clear"),
    ),
    "unreadable": ("reject", gettext_noop("the paper cannot be read")),
    "identifying_mark": ("reject", gettext_noop("the paper bears a mark that identifies the voter")),
    "not_genuine": ("reject", gettext_noop("the paper is not genuine")),
}
#: Two to read every paper, a third to resolve a dispute between them.
MINIMUM_TELLERS = 3
CODE_LENGTH = 12
_GROUP = 4
#: Why a paper is late.
LATE = "returned after the vote closed"
#: Why a paper cancelled before its return is rejected (its member voted online, or it was reported lost).
CANCELLED_RETURNED = "returned after it was cancelled"


def paper_code_new() -> str:
    """A fresh code to print on a paper: 12 characters (60 random bits) from the trackers' alphabet, which
    has no look-alikes, in groups of four: ``K7Q2-MXW9-RT4H``."""
    chars = "".join(secrets.choice(TRACKER_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(chars[i : i + _GROUP] for i in range(0, CODE_LENGTH, _GROUP))


def paper_code_normalise(typed: str) -> str:
    """A code as a teller typed it, in its printed form: case and separators do not matter."""
    chars = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(chars) != CODE_LENGTH:
        return chars
    return "-".join(chars[i : i + _GROUP] for i in range(0, CODE_LENGTH, _GROUP))


def _tellers_check(tellers: Iterable[Member]) -> list[Member]:
    named = list({t.pk: t for t in tellers}.values())
    if len(named) < MINIMUM_TELLERS:
        raise PaperError(
            _("name at least %(minimum)s tellers: two read every paper, a third resolves disputes")
            % {"minimum": MINIMUM_TELLERS}
        )
    return named


def paper_channel_open(*, box_ids: Sequence[int], tellers: Iterable[Member]) -> PaperChannel:
    """A paper channel for the open yes/no boxes ``box_ids``, answered in that order on one paper, with its
    tellers (at least three: two read each paper, a third resolves their disputes)."""
    tellers = _tellers_check(tellers)
    if not box_ids or len(set(box_ids)) != len(box_ids):
        raise PaperError(_("a paper asks one question or more, each once"))
    boxes = YesNoBox.objects.select_for_update().filter(pk__in=box_ids)
    if len(boxes) != len(box_ids) or any(box.sealed_at is not None for box in boxes):
        raise PaperConflict(_("paper ballots are added only to a vote still open"))
    if PaperQuestion.objects.filter(box_id__in=box_ids).exists():
        raise PaperConflict(_("this vote already has paper ballots"))
    channel = PaperChannel.objects.create(opened_at=timezone.now())
    channel.tellers.set(tellers)
    PaperQuestion.objects.bulk_create(
        PaperQuestion(channel=channel, box_id=box_id, position=n) for n, box_id in enumerate(box_ids, 1)
    )
    return channel


def ranked_paper_channel_open(
    *, box_id: int, candidates: Sequence[int], tellers: Iterable[Member]
) -> PaperChannel:
    """A paper channel for the open ranked box ``box_id``, its papers listing the owner's ``candidates``
    (ids) in that order, with its tellers (at least three)."""
    tellers = _tellers_check(tellers)
    if not candidates or len(set(candidates)) != len(candidates):
        raise PaperError(_("a ranked paper lists one candidate or more, each once"))
    box = RankedBox.objects.select_for_update().filter(pk=box_id).first()
    if box is None or box.sealed_at is not None:
        raise PaperConflict(_("paper ballots are added only to a vote still open"))
    if PaperChannel.objects.filter(ranked_box=box).exists():
        raise PaperConflict(_("this vote already has paper ballots"))
    channel = PaperChannel.objects.create(
        opened_at=timezone.now(), ranked_box=box, candidates=list(candidates)
    )
    channel.tellers.set(tellers)
    return channel


def _open_channel(channel_id: int, *, closed_ok: bool = False) -> tuple[PaperChannel, PaperBoxes]:
    channel = PaperChannel.objects.select_for_update().get(pk=channel_id)
    if channel.closed_at is not None and not closed_ok:
        raise PaperConflict(_("the count is over: no paper is issued or entered after it"))
    return channel, channel_boxes(channel)


def _teller_check(channel: PaperChannel, member: Member) -> None:
    if not channel.tellers.filter(pk=member.pk).exists():
        raise PaperRefused(_("only the tellers named for this ballot issue and enter its papers"))


def _paper_create(
    channel: PaperChannel, member: Member, issued_by: Member, replaces: BallotPaper | None, weight: int = 1
) -> BallotPaper:
    for _attempt in range(5):
        code = paper_code_new()
        if not BallotPaper.objects.filter(code=code).exists():
            break
    return BallotPaper.objects.create(
        channel=channel,
        code=code,
        member=member,
        issued_at=timezone.now(),
        issued_by=issued_by,
        replaces=replaces,
        weight=weight,
    )


def papers_issue(
    *,
    channel_id: int,
    members: Sequence[Member],
    issued_by: Member,
    weights: Mapping[int, int] | None = None,
) -> list[BallotPaper]:
    """Issue one paper to each of ``members`` (whom the owner has checked are entitled; in a weighted vote,
    with their ``weights`` by member id). Refused, issuing none, if one of them already voted online or
    already holds a live paper: naming them."""
    with transaction.atomic():
        channel, boxes = _open_channel(channel_id)
        _teller_check(channel, issued_by)
        voted = boxes.voted(m.pk for m in members)
        holding = set(
            BallotPaper.objects.filter(
                channel=channel,
                member__in=members,
                status__in=[PaperStatus.OUT, PaperStatus.ENTERED, PaperStatus.DISPUTED, PaperStatus.COUNTED],
            ).values_list("member_id", flat=True)
        )
        rejected = set(
            BallotPaper.objects.filter(
                channel=channel, member__in=members, status=PaperStatus.REJECTED, member_id__in=voted
            )
            .exclude(reason__startswith=CANCELLED_RETURNED)
            .values_list("member_id", flat=True)
        )
        for member in members:
            if member.pk in rejected:
                raise PaperConflict(
                    _(
                        "member %(number)s has voted: their paper was returned and rejected, which counts "
                        "as voting: no paper is issued"
                    )
                    % {"number": member.number}
                )
            if member.pk in voted:
                raise PaperConflict(
                    _("member %(number)s has already voted online: no paper is issued")
                    % {"number": member.number}
                )
            if member.pk in holding:
                raise PaperConflict(
                    _("member %(number)s already holds a paper: replace it instead")
                    % {"number": member.number}
                )
        weights = weights or {}
        return [_paper_create(channel, m, issued_by, None, weights.get(m.pk, 1)) for m in members]


def _paper_locked(channel_id: int, code: str) -> BallotPaper:
    normalised = paper_code_normalise(code)
    paper = (
        BallotPaper.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(channel_id=channel_id, code=normalised)
        .first()
    )
    if paper is None:
        raise PaperError(_("no paper of this ballot has the code %(code)r") % {"code": normalised})
    return paper


def paper_replace(*, channel_id: int, code: str, spoiled: bool, issued_by: Member) -> BallotPaper:
    """Replace a paper the member returned spoiled (``spoiled``: it is kept as spoiled, returned) or
    reported lost (it is cancelled): a new paper under a new code. Refused once the member has voted, or
    for a paper already returned."""
    with transaction.atomic():
        channel, boxes = _open_channel(channel_id)
        _teller_check(channel, issued_by)
        paper = _paper_locked(channel_id, code)
        if paper.status != PaperStatus.OUT:
            raise PaperConflict(
                _("paper %(code)s is %(status)s: it cannot be replaced")
                % {"code": paper.code, "status": paper.get_status_display().lower()}
            )
        if boxes.voted([paper.member_id]):
            raise PaperConflict(
                _("member %(number)s has already voted: no paper is issued") % {"number": paper.member.number}
            )
        paper.status = PaperStatus.SPOILED if spoiled else PaperStatus.CANCELLED
        paper.reason = "" if spoiled else LOST
        paper.save(update_fields=["status", "reason"])
        return _paper_create(channel, paper.member, issued_by, paper, paper.weight)


def _paper_count(paper: BallotPaper, boxes: PaperBoxes, reading: tuple[str, ...]) -> None:
    """Put what the paper says into its boxes and the member onto every register (or reject it, as the
    box's rules say), and delete the readings."""
    invalid = boxes.put(paper, reading)
    if invalid is not None:
        boxes.register(paper)
    TellerEntry.objects.filter(paper=paper).delete()
    paper.status = PaperStatus.COUNTED if invalid is None else PaperStatus.REJECTED
    paper.reason = invalid or ""
    paper.save(update_fields=["status", "reason"])


def _seal(boxes: PaperBoxes, paper: BallotPaper, reading: tuple[str, ...]) -> bytes:
    return teller_entry_seal(boxes.key_box_id, paper.pk, reading, kind=boxes.kind)


def paper_enter(
    *, channel_id: int, code: str, answers: Sequence[str], teller: Member, closed: bool = False
) -> BallotPaper:
    """A teller's reading of a returned paper. The first reading waits for a second teller's; two that
    agree count the paper, two that differ put it on the dispute queue. A paper cancelled before its
    return (its member voted online, or it was reported lost) is rejected, never counted. A code already
    counted, spoiled, rejected or recorded late is refused and nothing changes. A paper not yet returned
    when the vote closed (``closed``, as its owner says) or the count was made is recorded as late, its
    reading ignored: never counted."""
    with transaction.atomic():
        channel, boxes = _open_channel(channel_id, closed_ok=True)
        _teller_check(channel, teller)
        paper = _paper_locked(channel_id, code)
        if paper.status == PaperStatus.OUT and (closed or channel.closed_at is not None):
            paper.status = PaperStatus.LATE
            paper.reason = LATE
            paper.save(update_fields=["status", "reason"])
            return paper
        if paper.status == PaperStatus.CANCELLED:
            paper.status = PaperStatus.REJECTED
            paper.reason = f"{CANCELLED_RETURNED} ({paper.reason})"
            paper.save(update_fields=["status", "reason"])
            return paper
        if paper.status in (PaperStatus.COUNTED, PaperStatus.SPOILED, PaperStatus.REJECTED, PaperStatus.LATE):
            raise PaperConflict(
                _("paper %(code)s has already been returned (%(status)s): a code is entered once")
                % {"code": paper.code, "status": paper.get_status_display().lower()}
            )
        if paper.status == PaperStatus.DISPUTED:
            raise PaperConflict(
                _("paper %(code)s is in dispute: a third teller resolves it") % {"code": paper.code}
            )
        reading = boxes.check(answers)
        first = TellerEntry.objects.filter(paper=paper).first()
        if first is not None and first.teller_id == teller.pk:
            raise PaperConflict(
                _("you have read paper %(code)s already: a second teller reads it") % {"code": paper.code}
            )
        if first is None:
            TellerEntry.objects.create(paper=paper, teller=teller, encrypted=_seal(boxes, paper, reading))
            paper.status = PaperStatus.ENTERED
            paper.save(update_fields=["status"])
            return paper
        earlier = teller_entry_open(boxes.key_box_id, paper.pk, first.encrypted, kind=boxes.kind)
        if boxes.agree(earlier, reading):
            _paper_count(paper, boxes, reading)
            return paper
        TellerEntry.objects.create(paper=paper, teller=teller, encrypted=_seal(boxes, paper, reading))
        PaperDispute.objects.create(
            paper=paper, first_teller_id=first.teller_id, second_teller=teller, raised_at=timezone.now()
        )
        paper.status = PaperStatus.DISPUTED
        paper.save(update_fields=["status"])
        return paper


def paper_dispute_resolve(
    *, channel_id: int, code: str, answers: Sequence[str] | None, teller: Member, reason: str
) -> BallotPaper:
    """A third teller, having read the paper, settles the dispute with one of the ``RESOLUTIONS``: one
    that counts it, with the ``answers`` as read, or one that rejects it (no answers). The reason is kept
    on the queue for every teller and the scrutineer. Neither teller whose readings differed may
    resolve it."""
    if reason not in RESOLUTIONS:
        raise PaperError(
            _("resolve a dispute as one of %(reasons)s, not %(reason)r")
            % {"reasons": ", ".join(RESOLUTIONS), "reason": reason}
        )
    outcome, words = RESOLUTIONS[reason]
    if (outcome == "count") != (answers is not None):
        raise PaperError(_("a paper counted is counted as read (give the answers); one rejected has none"))
    with transaction.atomic():
        channel, boxes = _open_channel(channel_id)
        _teller_check(channel, teller)
        reading = None if answers is None else boxes.check(answers)
        paper = _paper_locked(channel_id, code)
        if paper.status != PaperStatus.DISPUTED:
            raise PaperConflict(_("paper %(code)s is not in dispute") % {"code": paper.code})
        dispute = PaperDispute.objects.select_for_update().get(paper=paper)
        if teller.pk in (dispute.first_teller_id, dispute.second_teller_id):
            raise PaperRefused(
                _("a dispute is resolved by a third teller, not by either whose readings differed")
            )
        if reading is None:
            boxes.register(paper)
            TellerEntry.objects.filter(paper=paper).delete()
            paper.status = PaperStatus.REJECTED
            paper.reason = f"rejected on dispute: {words}"
            paper.save(update_fields=["status", "reason"])
        else:
            _paper_count(paper, boxes, reading)
        dispute.resolved_by = teller
        dispute.resolved_at = timezone.now()
        dispute.resolution = words
        dispute.save(update_fields=["resolved_by", "resolved_at", "resolution"])
        return paper
