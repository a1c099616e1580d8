"""The boxes a paper channel counts into, each kind with its own reading of a paper: the yes/no boxes of
one or more questions answered on one paper (``YesNoBoxes``), or one ranked box whose paper lists the
candidates, numbered in order of preference (``RankedBoxes``).

The channel's rules (``commune.ballots.papers``) are the same whatever the box; what differs is here:
what a teller's reading may say, when two readings agree, whether a member is already on the box's
register, and how a paper the tellers agreed on goes into the box.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Protocol

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commune.ballots.boxkeys import RANKED, YES_NO, RankedPaper, ranked_paper_seal
from commune.ballots.errors import PaperConflict, PaperError
from commune.ballots.models import (
    Ballot,
    BallotPaper,
    PaperChannel,
    RegisterEntry,
    YesNoChoice,
    YesNoRegisterEntry,
)
from commune.ballots.services import yes_no_paper_put
from commune.ballots.trackers import tracker_new
from commune.tally.paper_marks import FIRST_PREFERENCE_TWICE, NO_FIRST_PREFERENCE, paper_preferences

__all__ = ["ANSWERS", "INVALID", "PaperBoxes", "RankedBoxes", "YesNoBoxes", "channel_boxes"]

#: What a teller may read on a yes/no paper for each question, and what goes into its box.
ANSWERS = {"yes": YesNoChoice.YES, "no": YesNoChoice.NO, "void": YesNoChoice.ABSTAIN}
#: Why a ranked paper is rejected whole, as a returning officer records it (``commune.tally.paper_marks``).
INVALID = {
    NO_FIRST_PREFERENCE: gettext_noop("no first preference: the figure 1 stands against no candidate"),
    FIRST_PREFERENCE_TWICE: gettext_noop("the figure 1 stands against more than one candidate"),
}
#: The highest preference number a teller may enter.
_MOST = 999


class PaperBoxes(Protocol):
    kind: str
    key_box_id: int
    answers: int

    def check(self, answers: Sequence[str]) -> tuple[str, ...]:
        """The reading cleaned, or ``PaperError`` saying what is wrong with it."""

    def agree(self, first: tuple[str, ...], second: tuple[str, ...]) -> bool:
        """Whether two readings say the same."""

    def voted(self, member_ids: Iterable[int]) -> set[int]:
        """Which of the members are on the box's register."""

    def voters(self) -> set[int]:
        """Every member on the box's register."""

    def put(self, paper: BallotPaper, reading: tuple[str, ...]) -> str | None:
        """Put what the paper says into the box and its member on the register; or return why the paper
        is rejected whole (writing nothing). ``PaperConflict`` if the member has already voted."""

    def register(self, paper: BallotPaper) -> None:
        """Put the paper's member on the box's register with no vote in the box: their paper was rejected
        whole, and a member whose paper is rejected has voted, as a returning officer counts it.
        ``PaperConflict`` if the member has already voted."""


class YesNoBoxes:
    """The yes/no boxes of a channel's questions, answered in order on one paper."""

    kind = YES_NO

    def __init__(self, box_ids: Sequence[int]) -> None:
        self.box_ids = list(box_ids)
        self.key_box_id = self.box_ids[0]
        self.answers = len(self.box_ids)

    def check(self, answers: Sequence[str]) -> tuple[str, ...]:
        cleaned = tuple(str(a).strip().lower() for a in answers)
        if len(cleaned) != self.answers:
            raise PaperError(
                _("a reading gives %(questions)s answer(s), one per question, not %(given)s")
                % {"questions": self.answers, "given": len(cleaned)}
            )
        wrong = [a for a in cleaned if a not in ANSWERS]
        if wrong:
            raise PaperError(_("read each answer as yes, no or void, not %(answer)r") % {"answer": wrong[0]})
        return cleaned

    def agree(self, first: tuple[str, ...], second: tuple[str, ...]) -> bool:
        return first == second

    def voted(self, member_ids: Iterable[int]) -> set[int]:
        return set(
            YesNoRegisterEntry.objects.filter(box_id__in=self.box_ids, member_id__in=list(member_ids))
            .values_list("member_id", flat=True)
            .distinct()
        )

    def voters(self) -> set[int]:
        return set(
            YesNoRegisterEntry.objects.filter(box_id__in=self.box_ids)
            .values_list("member_id", flat=True)
            .distinct()
        )

    def put(self, paper: BallotPaper, reading: tuple[str, ...]) -> str | None:
        if self.voted([paper.member_id]):
            raise PaperConflict(_("the member has already voted online"))
        for box_id, answer in zip(self.box_ids, reading, strict=True):
            if not yes_no_paper_put(box_id=box_id, member=paper.member, choice=ANSWERS[answer]):
                raise PaperConflict(_("the member has already voted online"))
        return None

    def register(self, paper: BallotPaper) -> None:
        try:
            with transaction.atomic():
                YesNoRegisterEntry.objects.bulk_create(
                    YesNoRegisterEntry(box_id=box_id, member=paper.member) for box_id in self.box_ids
                )
        except IntegrityError:
            raise PaperConflict(_("the member has already voted online")) from None


class RankedBoxes:
    """A ranked box whose paper lists the owner's ``candidates`` (ids, in the printed order); a reading
    gives, for each candidate in that order, the number written against it or nothing (``""``)."""

    kind = RANKED

    def __init__(self, box_id: int, candidates: Sequence[int]) -> None:
        self.key_box_id = box_id
        self.candidates = list(candidates)
        self.answers = len(self.candidates)

    def check(self, answers: Sequence[str]) -> tuple[str, ...]:
        cleaned = tuple(str(a).strip() for a in answers)
        if len(cleaned) != self.answers:
            raise PaperError(
                _(
                    "a reading gives %(candidates)s preference(s), one per candidate (blank where none), not %(given)s"
                )
                % {"candidates": self.answers, "given": len(cleaned)}
            )
        wrong = [a for a in cleaned if a and not (a.isdigit() and 1 <= int(a) <= _MOST)]
        if wrong:
            raise PaperError(
                _("read each preference as a number from 1, or blank, not %(answer)r") % {"answer": wrong[0]}
            )
        return tuple(str(int(a)) if a else "" for a in cleaned)

    def preferences(self, reading: tuple[str, ...]) -> tuple[list[int], str | None]:
        """The candidate ids in order of preference, or ``[]`` and why the paper is rejected."""
        positions, invalid = paper_preferences([int(a) if a else None for a in reading])
        return [self.candidates[p] for p in positions], invalid

    def agree(self, first: tuple[str, ...], second: tuple[str, ...]) -> bool:
        # The same ranking, or rejected for the same reason: marks past where a paper's preferences end
        # do not count, so two readings that differ only there agree.
        return self.preferences(first) == self.preferences(second)

    def voted(self, member_ids: Iterable[int]) -> set[int]:
        return set(
            RegisterEntry.objects.filter(box_id=self.key_box_id, member_id__in=list(member_ids)).values_list(
                "member_id", flat=True
            )
        )

    def voters(self) -> set[int]:
        return set(RegisterEntry.objects.filter(box_id=self.key_box_id).values_list("member_id", flat=True))

    def put(self, paper: BallotPaper, reading: tuple[str, ...]) -> str | None:
        ranking, invalid = self.preferences(reading)
        if invalid is not None:
            return f"invalid: {INVALID[invalid]}"
        self.register(paper)
        Ballot.objects.create(
            id=uuid.uuid4(),
            box_id=self.key_box_id,
            encrypted=ranked_paper_seal(self.key_box_id, RankedPaper(tracker_new(), ranking)),
            weight=paper.weight,
        )
        return None

    def register(self, paper: BallotPaper) -> None:
        try:
            with transaction.atomic():
                RegisterEntry.objects.create(box_id=self.key_box_id, member=paper.member)
        except IntegrityError:
            raise PaperConflict(_("the member has already voted online")) from None


def channel_boxes(channel: PaperChannel) -> PaperBoxes:
    """The boxes ``channel`` counts into."""
    if channel.ranked_box_id is not None:
        return RankedBoxes(channel.ranked_box_id, channel.candidates)
    return YesNoBoxes(list(channel.questions.values_list("box_id", flat=True)))
