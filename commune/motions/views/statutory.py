"""Pages of a statutory ballot: its questions, its papers reconciled and, once counted, the notice of its
result (every member); the tellers' desk, where returned papers are entered and disputes resolved; and
the scrutineer's read-only report, which the scrutineer, who is not a member, reads with their own
account. The notice downloads as text and as a PDF; the tellers print the papers still out as a PDF. A
ballot that waits for the employer's notice of it has a page where the council's delegates give the notice
and open the ballot."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.ballots.errors import PaperError
from commune.ballots.views import paper_desk_context, papers_print_page, teller_actor, yes_no_paper_act
from commune.federation.access import NotFound
from commune.federation.models import Member, Organisation
from commune.motions.access import access_referral, access_statutory_ballot, access_statutory_scrutiny
from commune.motions.errors import MotionError
from commune.motions.models import BallotNotice, Referral, StatutoryBallot
from commune.motions.selectors.employer_notices import ballot_notice_pdf, ballot_notice_text
from commune.motions.selectors.statutory import (
    statutory_ballot_detail,
    statutory_notice,
    statutory_notice_pdf,
    statutory_notice_text,
    statutory_scrutineer_report,
    statutory_votes,
)
from commune.motions.services import member_sits_in
from commune.motions.services.ballot_notice import (
    ballot_notice_issue,
    ballot_waits_for_notice,
    statutory_ballot_start,
)
from commune.motions.services.papers import vote_paper_dispute_resolve, vote_paper_enter, vote_papers_pdf
from commune.motions.services.statutory_terms import CONTRACT_STATEMENT
from commune.web.downloads import download
from commune.web.edge import member_page, page_context, refusal, refusal_status


def _ballot(request: HttpRequest, organisation: Organisation, ballot_id: int) -> StatutoryBallot:
    found = statutory_ballot_detail(
        ballot_id=access_statutory_ballot(request_person(request), organisation, ballot_id).pk
    )
    if found is None:
        raise Http404("no such statutory ballot")
    return found


@member_page
def statutory_page(
    request: HttpRequest, organisation: Organisation, member: Member, ballot_id: int
) -> HttpResponse:
    """The ballot, its papers reconciled and the notice; the tellers' desk for its tellers."""
    ballot = _ballot(request, organisation, ballot_id)
    votes = statutory_votes(ballot)
    return render(
        request,
        "motions/statutory.html",
        page_context(
            organisation,
            member,
            ballot=ballot,
            votes=votes,
            questions=[v.question for v in votes],
            notice=statutory_notice(ballot=ballot),
            body=ballot.referral.council,
            **paper_desk_context(ballot.paper_channel, member),
        ),
    )


def _teller_act(
    request: HttpRequest, organisation: Organisation, member: Member, ballot_id: int, resolve: bool
) -> HttpResponse:
    ballot = _ballot(request, organisation, ballot_id)
    votes = statutory_votes(ballot)
    actor = teller_actor(member)
    yes_no_paper_act(
        request,
        questions=len(votes),
        resolving=resolve,
        enter=lambda code, answers: vote_paper_enter(
            vote=votes[0], teller=member, code=code, answers=answers, actor=actor
        ),
        resolve=lambda code, answers, reason: vote_paper_dispute_resolve(
            vote=votes[0], teller=member, code=code, answers=answers, reason=reason, actor=actor
        ),
        refusals=(PaperError, MotionError),
    )
    return redirect("motions:statutory", slug=organisation.slug, ballot_id=ballot.pk)


@member_page
@require_POST
def statutory_enter_page(
    request: HttpRequest, organisation: Organisation, member: Member, ballot_id: int
) -> HttpResponse:
    """A teller enters a returned paper as they read it."""
    return _teller_act(request, organisation, member, ballot_id, resolve=False)


@member_page
@require_POST
def statutory_resolve_page(
    request: HttpRequest, organisation: Organisation, member: Member, ballot_id: int
) -> HttpResponse:
    """A third teller resolves a dispute."""
    return _teller_act(request, organisation, member, ballot_id, resolve=True)


@member_page
def statutory_papers_pdf(
    request: HttpRequest, organisation: Organisation, member: Member, ballot_id: int
) -> HttpResponse:
    """The papers still out, to print (the tellers only: they name each member beside a code)."""
    ballot = _ballot(request, organisation, ballot_id)
    return papers_print_page(
        ballot.paper_channel,
        member,
        lambda: vote_papers_pdf(
            vote=statutory_votes(ballot)[0],
            title=f"{organisation.name}: ballot on {ballot.referral.motion.title}",
            instructions=f"{ballot.return_instructions}\n\n{CONTRACT_STATEMENT}",
        ),
        filename=f"papers-{organisation.slug}-ballot-{ballot.pk}.pdf",
    )


@member_page
def statutory_notice_file(
    request: HttpRequest, organisation: Organisation, member: Member, ballot_id: int, fmt: str
) -> HttpResponse:
    """The notice of the result as text or as a PDF."""
    if fmt not in ("txt", "pdf"):
        raise Http404("the notice is text (.txt) or a PDF (.pdf)")
    ballot = _ballot(request, organisation, ballot_id)
    notice = statutory_notice(ballot=ballot)
    filename = f"notice-{organisation.slug}-ballot-{ballot.pk}.{fmt}"
    return download(
        statutory_notice_pdf(notice) if fmt == "pdf" else statutory_notice_text(notice), filename=filename
    )


@login_required
def statutory_scrutiny_page(request: HttpRequest, slug: str, ballot_id: int) -> HttpResponse:
    """The scrutineer's report, read only: for the ballot's scrutineer (not a member) and for members."""
    try:
        ballot = access_statutory_scrutiny(request_person(request), ballot_id, slug=slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    found = statutory_ballot_detail(ballot_id=ballot.pk)
    assert found is not None
    return render(
        request,
        "motions/scrutiny.html",
        # Not the organisation's navigation: the scrutineer is not a member and reads this page only.
        {"ballot": found, "report": statutory_scrutineer_report(ballot=found)},
    )


def _waiting_referral(request: HttpRequest, organisation: Organisation, referral_id: int) -> Referral:
    try:
        return access_referral(request_person(request), organisation, referral_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@member_page
@require_http_methods(["GET", "POST"])
def ballot_notice_page(
    request: HttpRequest, organisation: Organisation, member: Member, referral_id: int
) -> HttpResponse:
    """The employer's notice of a statutory ballot that waits for it (s.226A): the council's delegates give
    it here, and open the ballot once its seven days have passed; every member reads it."""
    referral = _waiting_referral(request, organisation, referral_id)
    status = 200
    if request.method == "POST":
        actor = Actor.of(member.person, role=f"member {member.number}")
        try:
            if request.POST.get("action") == "open":
                ballot = statutory_ballot_start(referral=referral, member=member, actor=actor)
                messages.success(request, _("The ballot is open."))
                return redirect("motions:statutory", slug=organisation.slug, ballot_id=ballot.pk)
            ballot_notice_issue(
                referral=referral,
                member=member,
                explanation=request.POST.get("explanation", ""),
                actor=actor,
            )
            messages.success(request, _("The notice of the ballot is recorded. Send it to the employer."))
            return redirect("motions:ballot_notice", slug=organisation.slug, referral_id=referral.pk)
        except MotionError as exc:
            messages.error(request, refusal(exc))
            status = refusal_status(exc)
    notice = BallotNotice.objects.filter(referral=referral).select_related("referral__motion").first()
    return render(
        request,
        "motions/ballot_notice.html",
        page_context(
            organisation,
            member,
            referral=referral,
            notice=notice,
            text=ballot_notice_text(notice) if notice else "",
            waiting=ballot_waits_for_notice(referral),
            delegate=member_sits_in(member, referral.council),
            opens_on=(referral.decided_by.details.get("statutory") or {}).get("opens_on"),
            body=referral.council,
        ),
        status=status,
    )


@member_page
def ballot_notice_pdf_file(
    request: HttpRequest, organisation: Organisation, member: Member, referral_id: int
) -> HttpResponse:
    referral = _waiting_referral(request, organisation, referral_id)
    notice = BallotNotice.objects.filter(referral=referral).first()
    if notice is None:
        raise Http404(_("the employer has not been given notice of this ballot"))
    return download(
        ballot_notice_pdf(notice), filename=f"ballot-notice-{organisation.slug}-referral-{referral.pk}.pdf"
    )
