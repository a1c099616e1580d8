"""Reads of a statutory ballot: the notice of its result (the figures s.231 and s.231A ask for, per
question) and the scrutineer's report (every paper accounted for, the disputes, the figures)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from commune.ballots.paper_print import text_pdf
from commune.ballots.selectors import paper_disputes, paper_reconciliation, yes_no_turnout
from commune.motions.models import StatutoryBallot, Vote
from commune.motions.thresholds import decide
from commune.tally.exact import percent


def _question(vote: Vote, rejected: int, important_public_services: bool) -> dict[str, Any]:
    counted = vote.closed_at is not None
    figures: dict[str, Any] = {
        "vote": vote.pk,
        "question": vote.question,
        "entitled": vote.electorate,
        "counted": counted,
    }
    if not counted:
        return figures
    voted = vote.yes + vote.no + vote.abstain
    result = decide(
        rule=vote.rule,
        yes=vote.yes,
        no=vote.no,
        abstain=vote.abstain,
        electorate=vote.electorate,
        present=None,
    )
    tests = {t.name: t.passed for t in result.tests}
    figures.update(
        {
            "votes_cast": vote.yes + vote.no,
            "yes": vote.yes,
            "no": vote.no,
            # s.231(1)(d): spoiled or otherwise invalid papers returned: this question left blank or
            # marked both ways, and the papers rejected whole.
            "spoiled_or_invalid": vote.abstain + rejected,
            "voted": voted,
            "turnout": percent(Fraction(voted, vote.electorate)) if vote.electorate else "no share",
            "turnout_threshold_met": tests.get("turnout"),
            "support_threshold_applies": important_public_services,
            "support_threshold_met": tests.get("support") if important_public_services else None,
            "majority_yes": tests.get("majority"),
            "carried": bool(vote.carried),
        }
    )
    return figures


def statutory_votes(ballot: StatutoryBallot) -> list[Vote]:
    """The ballot's questions in order: the strike first."""
    return [v for v in (ballot.strike_vote, ballot.short_of_strike_vote) if v is not None]


def statutory_ballot_detail(*, ballot_id: int) -> StatutoryBallot | None:
    return (
        StatutoryBallot.objects.select_related(
            "referral__council__organisation",
            "referral__motion",
            "strike_vote",
            "short_of_strike_vote",
            "scrutineer",
        )
        .filter(pk=ballot_id)
        .first()
    )


def statutory_notice(*, ballot: StatutoryBallot) -> dict[str, Any]:
    """The notice of the result: for each question, the number entitled to vote, the votes cast, yes, no,
    the spoiled or otherwise invalid papers, the turnout, whether the 50% turnout and (for important public
    services) the 40% support thresholds were met, and whether it carried; ``counted`` once all are."""
    reconciliation = paper_reconciliation(channel_id=ballot.paper_channel_id)
    questions = [
        _question(v, reconciliation["rejected"], ballot.important_public_services)
        for v in statutory_votes(ballot)
    ]
    return {
        "ballot": ballot.pk,
        "motion": ballot.referral.motion.title,
        "organisation": ballot.referral.council.organisation.name,
        "council": ballot.referral.council.name,
        "employer": ballot.employer,
        "scrutineer": ballot.scrutineer.name,
        "important_public_services": ballot.important_public_services,
        "counted": all(q["counted"] for q in questions),
        "closed_at": max((v.closed_at for v in statutory_votes(ballot) if v.closed_at), default=None),
        "questions": questions,
        "papers": {
            k: reconciliation[k]
            for k in ("issued", "returned", "counted", "spoiled", "rejected", "late", "unreturned")
        },
    }


def _yes_no(value: object) -> str:
    return _("yes") if value else _("no")


def _row(label: str, value: object) -> str:
    return f"  {(label + ':').ljust(33)} {value}"


def _notice_lines(notice: dict[str, Any]) -> list[str]:
    lines = [
        _("Notice of the result of the ballot of members of %(organisation)s")
        % {"organisation": notice["organisation"]},
        _("on “%(motion)s” (%(council)s). Employer: %(employer)s.")
        % {"motion": notice["motion"], "council": notice["council"], "employer": notice["employer"]},
        "",
    ]
    if not notice["counted"]:
        return [*lines, _("The ballot has not yet been counted.")]
    for n, q in enumerate(notice["questions"], 1):
        lines += [
            _("Question %(number)s: %(question)s") % {"number": n, "question": q["question"]},
            _row(_("Entitled to vote"), q["entitled"]),
            _row(_("Votes cast (yes or no)"), q["votes_cast"]),
            _row(_("Yes"), q["yes"]),
            _row(_("No"), q["no"]),
            _row(_("Spoiled or otherwise invalid"), q["spoiled_or_invalid"]),
            _row(_("Turnout"), f"{q['voted']} ({q['turnout']})"),
            # xgettext:no-python-format
            _row(_("At least 50% voted"), _yes_no(q["turnout_threshold_met"])),
        ]
        if q["support_threshold_applies"]:
            lines.append(
                # xgettext:no-python-format
                _row(_("At least 40% of those entitled voted yes"), _yes_no(q["support_threshold_met"]))
            )
        lines += [_row(_("Result"), _("carried") if q["carried"] else _("not carried")), ""]
    papers = {"late": 0, **notice["papers"]}  # a notice recorded before late papers were listed has none
    lines += [
        _(
            "Ballot papers: %(issued)s issued, %(returned)s returned (%(counted)s counted, %(spoiled)s spoiled and "
            "replaced, %(rejected)s rejected, %(late)s returned after the ballot closed and not counted), "
            "%(unreturned)s not returned."
        )
        % papers,
        _("Independent scrutineer: %(scrutineer)s.") % {"scrutineer": notice["scrutineer"]},
    ]
    return lines


def statutory_notice_text(notice: dict[str, Any]) -> str:
    """The notice as plain text, as it is mailed to the members and the employer and printed, in the active
    language. The statute's own language is English: a notice in another language carries the English
    notice after it, word for word as the employer receives it."""
    text = "\n".join(_notice_lines(notice))
    if (get_language() or "en").split("-")[0] == "en":
        return text
    with override(None):
        english = "\n".join(_notice_lines(notice))
    return f"{text}\n\n{_('The statutory notice, in English:')}\n\n{english}"


def statutory_notice_pdf(notice: dict[str, Any]) -> bytes:
    """The notice as a PDF in the active language. The PDF's built-in fonts print Western European letters
    only, so a notice in another script (Arabic) is printed in English, the statute's language; the text
    download and the notice sent to each member carry it in their language."""
    title, text = _("Notice of the result"), statutory_notice_text(notice)
    try:
        (title + text).encode("cp1252")
    except UnicodeEncodeError:
        with override(None):
            title, text = _("Notice of the result"), statutory_notice_text(notice)
    return text_pdf(title=title, text=text)


def statutory_scrutineer_report(*, ballot: StatutoryBallot) -> dict[str, Any]:
    """What the scrutineer reads and reports on: the reconciliation of the papers and whether it balances,
    the dispute queue (who read, who resolved and why; never what a paper says), the figures of each
    question, and the notice."""
    channel_id = ballot.paper_channel_id
    reconciliation = paper_reconciliation(channel_id=channel_id)
    notice = statutory_notice(ballot=ballot)
    disputes = [
        {
            "paper": d.paper.code,
            "tellers": [d.first_teller.person.name, d.second_teller.person.name],
            "raised_at": d.raised_at,
            "resolved_by": d.resolved_by.person.name if d.resolved_by else None,
            "resolved_at": d.resolved_at,
            "resolution": d.resolution,
        }
        for d in paper_disputes(channel_id=channel_id)
    ]
    findings = []
    # Each question's box: as many on its register (who voted, any way) as papers counted in it.
    twice = [
        v.question
        for v in statutory_votes(ballot)
        if v.closed_at is not None
        and v.box_id is not None
        and yes_no_turnout(box_id=v.box_id) != v.yes + v.no + v.abstain
    ]
    for question in twice:
        findings.append(
            _("The votes counted on “%(question)s” are not as many as the members who voted.")
            % {"question": question}
        )
    if not reconciliation["balanced"]:
        findings.append(_("The papers do not reconcile."))
    if reconciliation["pending"]:
        findings.append(
            ngettext(
                "%(count)s returned paper waits for a teller or a dispute's resolution.",
                "%(count)s returned papers wait for a teller or a dispute's resolution.",
                reconciliation["pending"],
            )
            % {"count": reconciliation["pending"]}
        )
    if notice["counted"] and reconciliation["balanced"] and not reconciliation["pending"] and not twice:
        findings.append(
            _(
                "Every paper issued is accounted for; every paper counted was read alike by two tellers or "
                "settled by a third; on each question, as many votes were counted as members voted, online or "
                "on paper, each once."
            )
        )
    return {
        "ballot": ballot.pk,
        "scrutineer": ballot.scrutineer.name,
        "reconciliation": reconciliation,
        "disputes": disputes,
        "notice": notice,
        "findings": findings,
    }
