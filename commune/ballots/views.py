"""What every paper desk among the pages shares, whichever vote owns the channel (a statutory ballot, a
recall ballot, an election): the papers reconciled and the dispute queue (``ballots/_papers_section.html``),
the tellers' yes/no forms (``ballots/_yes_no_desk.html``) and what they post, and the papers still out
printed for the tellers. The owner's views find the vote with the owner's access and call its services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from commune.audit.services import Actor
from commune.ballots.models import BallotPaper, PaperChannel
from commune.ballots.papers import ANSWERS, RESOLUTIONS
from commune.ballots.selectors import paper_disputes, paper_reconciliation
from commune.errors import DomainError
from commune.federation.models import Member
from commune.web.downloads import download
from commune.web.edge import refusal

__all__ = ["paper_act_done", "paper_desk_context", "papers_print_page", "teller_actor", "yes_no_paper_act"]


def paper_desk_context(channel: PaperChannel, member: Member) -> dict[str, Any]:
    """What the papers' section and the tellers' yes/no desk show of ``channel`` to ``member``."""
    return {
        "channel": channel,
        "reconciliation": paper_reconciliation(channel_id=channel.pk),
        "disputes": paper_disputes(channel_id=channel.pk),
        "is_teller": channel.tellers.filter(pk=member.pk).exists(),
        "answers": list(ANSWERS),
        "resolutions": {key: (outcome == "count", _(words)) for key, (outcome, words) in RESOLUTIONS.items()},
    }


def teller_actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def paper_act_done(request: HttpRequest, paper: BallotPaper) -> None:
    """Tell the teller what became of the paper they entered."""
    messages.success(
        request,
        _("Paper %(code)s: %(status)s.") % {"code": paper.code, "status": paper.get_status_display().lower()},
    )


def yes_no_paper_act(
    request: HttpRequest,
    *,
    questions: int,
    resolving: bool,
    enter: Callable[[str, list[str]], BallotPaper],
    resolve: Callable[[str, list[str] | None, str], BallotPaper],
    refusals: Sequence[type[DomainError]],
) -> None:
    """A teller's yes/no form posted: a returned paper entered as read (``enter(code, answers)``), or a
    dispute resolved (``resolve(code, answers, reason)``, with no answers for a reason that rejects the
    paper); the owner's ``refusals`` are told to the teller, as is the paper's fate."""
    answers = [request.POST.get(f"answer_{n}", "") for n in range(1, questions + 1)]
    code = request.POST.get("code", "")
    try:
        if resolving:
            reason = request.POST.get("reason", "")
            reject = RESOLUTIONS.get(reason, ("count", ""))[0] == "reject"
            paper = resolve(code, None if reject else answers, reason)
        else:
            paper = enter(code, answers)
    except tuple(refusals) as exc:
        messages.error(request, refusal(exc))
    else:
        paper_act_done(request, paper)


def papers_print_page(
    channel: PaperChannel, member: Member, document: Callable[[], bytes], *, filename: str
) -> HttpResponse:
    """The papers still out, to print: for the channel's tellers only (they name each member beside a code)."""
    if not channel.tellers.filter(pk=member.pk).exists():
        raise Http404("no papers to print here")
    return download(document(), filename=filename)
