"""Writes of the paper channel: ballot papers issued under unique codes, beside voting online, for any
secret yes/no vote and for a statutory ballot's separate questions answered on one paper.

The rules, each held here whoever owns the boxes:

* **One vote per member across channels.** A paper is never issued to a member already on the register
  of one of its boxes (they voted online: refused). A member who votes online while a paper of theirs is
  out has it cancelled (``services.papers_cancel_for_vote_cast``); returned, it is rejected, not counted.
  A paper counted puts the member on every box's register, so they can no longer vote online. The first
  vote to reach the box counts; the database's one-register-row-per-member is the last word.
* **One paper, one count.** A code is counted at most once: entered again after it was counted, spoiled
  or rejected, it is refused and changes nothing.
* **Two tellers.** Each returned paper is read by two different tellers. Their readings, kept encrypted
  under the box key, must agree for the paper to count; if they differ the paper goes on the dispute
  queue, which only a third teller resolves, with a reason; nothing is counted until then, and the box
  cannot be sealed while a paper waits.
* **Spoiled and lost papers.** A paper returned spoiled, or reported lost, is replaced by a new paper
  under a new code; the old one is spoiled (returned) or cancelled (not returned), never counted.

A reading gives one answer per question: ``yes``, ``no`` or ``void`` (unmarked, or marked both ways),
which goes into the box as an abstention: taking part, but neither yes nor no. A whole paper may be
rejected only by resolving a dispute (``reject``), with the reason.

The owner of the boxes decides who may be issued a paper and holds its row lock around every call; these
services log nothing (the owner logs, naming its organisation).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

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
    TellerEntry,
    YesNoBox,
    YesNoChoice,
    YesNoRegisterEntry,
)
from commune.ballots.services import yes_no_paper_put
from commune.ballots.trackers import TRACKER_ALPHABET
from commune.federation.models import Member

__all__ = [
    "ANSWERS",
    "MINIMUM_TELLERS",
    "RESOLUTIONS",
    "paper_channel_open",
    "paper_code_normalise",
    "paper_dispute_resolve",
    "paper_enter",
    "paper_replace",
    "papers_issue",
]

#: What a teller may read on a paper for each question, and what goes into its box.
ANSWERS = {"yes": YesNoChoice.YES, "no": YesNoChoice.NO, "void": YesNoChoice.ABSTAIN}
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


def paper_channel_open(*, box_ids: Sequence[int], tellers: Iterable[Member]) -> PaperChannel:
    """A paper channel for the open boxes ``box_ids``, answered in that order on one paper, with its
    tellers (at least three: two read each paper, a third resolves their disputes)."""
    tellers = list({t.pk: t for t in tellers}.values())
    if len(tellers) < MINIMUM_TELLERS:
        raise PaperError(
            _("name at least %(minimum)s tellers: two read every paper, a third resolves disputes")
            % {"minimum": MINIMUM_TELLERS}
        )
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


def _open_channel(channel_id: int) -> tuple[PaperChannel, list[int]]:
    channel = PaperChannel.objects.select_for_update().get(pk=channel_id)
    if channel.closed_at is not None:
        raise PaperConflict(_("the count is over: no paper is issued or entered after it"))
    return channel, list(channel.questions.values_list("box_id", flat=True))


def _teller_check(channel: PaperChannel, member: Member) -> None:
    if not channel.tellers.filter(pk=member.pk).exists():
        raise PaperRefused(_("only the tellers named for this ballot issue and enter its papers"))


def _voted(box_ids: list[int], member: Member) -> bool:
    return YesNoRegisterEntry.objects.filter(box_id__in=box_ids, member=member).exists()


def _paper_create(
    channel: PaperChannel, member: Member, issued_by: Member, replaces: BallotPaper | None
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
    )


def papers_issue(*, channel_id: int, members: Sequence[Member], issued_by: Member) -> list[BallotPaper]:
    """Issue one paper to each of ``members`` (whom the owner has checked are entitled). Refused, issuing
    none, if one of them already voted online or already holds a live paper: naming them."""
    with transaction.atomic():
        channel, box_ids = _open_channel(channel_id)
        _teller_check(channel, issued_by)
        voted = set(
            YesNoRegisterEntry.objects.filter(box_id__in=box_ids, member__in=members).values_list(
                "member_id", flat=True
            )
        )
        holding = set(
            BallotPaper.objects.filter(
                channel=channel,
                member__in=members,
                status__in=[PaperStatus.OUT, PaperStatus.ENTERED, PaperStatus.DISPUTED, PaperStatus.COUNTED],
            ).values_list("member_id", flat=True)
        )
        for member in members:
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
        return [_paper_create(channel, member, issued_by, None) for member in members]


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
        channel, box_ids = _open_channel(channel_id)
        _teller_check(channel, issued_by)
        paper = _paper_locked(channel_id, code)
        if paper.status != PaperStatus.OUT:
            raise PaperConflict(
                _("paper %(code)s is %(status)s: it cannot be replaced")
                % {"code": paper.code, "status": paper.get_status_display().lower()}
            )
        if _voted(box_ids, paper.member):
            raise PaperConflict(
                _("member %(number)s has already voted: no paper is issued") % {"number": paper.member.number}
            )
        paper.status = PaperStatus.SPOILED if spoiled else PaperStatus.CANCELLED
        paper.reason = "" if spoiled else "reported lost, replaced"
        paper.save(update_fields=["status", "reason"])
        return _paper_create(channel, paper.member, issued_by, paper)


def _answers_check(answers: Sequence[str], questions: int) -> tuple[str, ...]:
    cleaned = tuple(str(a).strip().lower() for a in answers)
    if len(cleaned) != questions:
        raise PaperError(
            _("a reading gives %(questions)s answer(s), one per question, not %(given)s")
            % {"questions": questions, "given": len(cleaned)}
        )
    wrong = [a for a in cleaned if a not in ANSWERS]
    if wrong:
        raise PaperError(_("read each answer as yes, no or void, not %(answer)r") % {"answer": wrong[0]})
    return cleaned


def _paper_count(paper: BallotPaper, box_ids: list[int], answers: tuple[str, ...]) -> None:
    """Put what the paper says into its boxes, the member onto every register, and delete the readings."""
    if _voted(box_ids, paper.member):
        raise PaperConflict(_("the member has already voted online"))
    for box_id, answer in zip(box_ids, answers, strict=True):
        if not yes_no_paper_put(box_id=box_id, member=paper.member, choice=ANSWERS[answer]):
            raise PaperConflict(_("the member has already voted online"))
    TellerEntry.objects.filter(paper=paper).delete()
    paper.status = PaperStatus.COUNTED
    paper.save(update_fields=["status"])


def paper_enter(*, channel_id: int, code: str, answers: Sequence[str], teller: Member) -> BallotPaper:
    """A teller's reading of a returned paper. The first reading waits for a second teller's; two that
    agree count the paper, two that differ put it on the dispute queue. A paper cancelled before its
    return (its member voted online, or it was reported lost) is rejected, never counted. A code already
    counted, spoiled or rejected is refused and nothing changes."""
    with transaction.atomic():
        channel, box_ids = _open_channel(channel_id)
        _teller_check(channel, teller)
        reading = _answers_check(answers, len(box_ids))
        paper = _paper_locked(channel_id, code)
        if paper.status == PaperStatus.CANCELLED:
            paper.status = PaperStatus.REJECTED
            paper.reason = f"returned after it was cancelled ({paper.reason})"
            paper.save(update_fields=["status", "reason"])
            return paper
        if paper.status in (PaperStatus.COUNTED, PaperStatus.SPOILED, PaperStatus.REJECTED):
            raise PaperConflict(
                _("paper %(code)s has already been returned (%(status)s): a code is entered once")
                % {"code": paper.code, "status": paper.get_status_display().lower()}
            )
        if paper.status == PaperStatus.DISPUTED:
            raise PaperConflict(
                _("paper %(code)s is in dispute: a third teller resolves it") % {"code": paper.code}
            )
        first = TellerEntry.objects.filter(paper=paper).first()
        if first is not None and first.teller_id == teller.pk:
            raise PaperConflict(
                _("you have read paper %(code)s already: a second teller reads it") % {"code": paper.code}
            )
        if first is None:
            TellerEntry.objects.create(
                paper=paper, teller=teller, encrypted=teller_entry_seal(box_ids[0], paper.pk, reading)
            )
            paper.status = PaperStatus.ENTERED
            paper.save(update_fields=["status"])
            return paper
        if teller_entry_open(box_ids[0], paper.pk, first.encrypted) == reading:
            _paper_count(paper, box_ids, reading)
            return paper
        TellerEntry.objects.create(
            paper=paper, teller=teller, encrypted=teller_entry_seal(box_ids[0], paper.pk, reading)
        )
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
        channel, box_ids = _open_channel(channel_id)
        _teller_check(channel, teller)
        reading = None if answers is None else _answers_check(answers, len(box_ids))
        paper = _paper_locked(channel_id, code)
        if paper.status != PaperStatus.DISPUTED:
            raise PaperConflict(_("paper %(code)s is not in dispute") % {"code": paper.code})
        dispute = PaperDispute.objects.select_for_update().get(paper=paper)
        if teller.pk in (dispute.first_teller_id, dispute.second_teller_id):
            raise PaperRefused(
                _("a dispute is resolved by a third teller, not by either whose readings differed")
            )
        if reading is None:
            TellerEntry.objects.filter(paper=paper).delete()
            paper.status = PaperStatus.REJECTED
            paper.reason = f"rejected on dispute: {words}"
            paper.save(update_fields=["status", "reason"])
        else:
            _paper_count(paper, box_ids, reading)
        dispute.resolved_by = teller
        dispute.resolved_at = timezone.now()
        dispute.resolution = words
        dispute.save(update_fields=["resolved_by", "resolved_at", "resolution"])
        return paper
