"""Reads for the notices a union gives an employer before a ballot and before industrial action (in the
UK, TULRCA ss.226A and 234A): the employees concerned as the roll holds them (the total, by category and
by workplace, and how the figures were arrived at), and the notice of the ballot as text and as a PDF.

The figures are the members on the roll in the units within the council concerned: a category is the wage
band the roll records for a member, and a workplace is a unit. The law asks for the employees the union
reasonably believes will be balloted or induced to take part; whether the roll is that is for the union to
judge (``docs/statutory-ballots.md``)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from commune.ballots.paper_print import text_pdf
from commune.federation.models import Body, BodyKind, Member
from commune.motions.models import BallotNotice


def workforce_figures(*, body: Body) -> dict[str, Any]:
    """The current members within ``body``: how many, by category (wage band) and by workplace (unit), on
    today's date. Two queries."""
    members = list(
        Member.objects.filter(
            organisation_id=body.organisation_id,
            current_unit__kind=BodyKind.UNIT,
            current_unit__path__startswith=body.path,
        ).values_list("current_unit_id", "wage_band")
    )
    by_unit = Counter(unit for unit, _band in members)
    by_band = Counter(band.strip() for _unit, band in members)
    # By code, which every database orders alike: a path's order follows the database's collation (PostgreSQL
    # under a locale skips its separators), so the same notice would list its workplaces in two orders.
    units = Body.objects.filter(pk__in=by_unit).order_by("code")
    return {
        "reckoned_on": timezone.localdate().isoformat(),
        "body": body.name,
        "total": len(members),
        "categories": [{"category": band, "number": by_band[band]} for band in sorted(by_band)],
        "workplaces": [
            {"code": u.code, "name": u.name, "kind": u.unit_type, "number": by_unit[u.pk]} for u in units
        ],
    }


def figures_lines(figures: dict[str, Any], explanation: str = "") -> list[str]:
    """The figures as the notice prints them, in the active language."""
    lines = [
        _("Employees concerned: %(total)s in total.") % {"total": figures["total"]},
        "",
        _("By category (the wage band on the union's roll):"),
    ]
    for row in figures["categories"]:
        category = row["category"] or _("no wage band recorded")
        lines.append(f"  {category}: {row['number']}")
    lines += ["", _("By workplace:")]
    for row in figures["workplaces"]:
        kind = f" ({row['kind']})" if row["kind"] else ""
        lines.append(f"  {row['name']}{kind}: {row['number']}")
    lines += [
        "",
        _("How these figures were arrived at:"),
        _(
            "They are the members on the union's roll, on %(day)s, in every workplace within %(body)s, counted by the wage band and the workplace the roll records for each."
        )
        % {"day": date.fromisoformat(figures["reckoned_on"]).isoformat(), "body": figures["body"]},
    ]
    if explanation:
        lines.append(explanation)
    return lines


def ballot_notice_text(notice: BallotNotice) -> str:
    """The notice of the ballot (s.226A) as text, in the active language."""
    referral = notice.referral
    terms = referral.decided_by.details.get("statutory", {})
    questions = [
        text
        for key, text in (
            ("strike", _("a strike")),
            ("short_of_strike", _("industrial action short of a strike")),
        )
        if terms.get(key)
    ]
    lines = [
        _("To: %(employer)s") % {"employer": notice.employer},
        _("From: %(organisation)s") % {"organisation": referral.council.organisation.name},
        _("Given on %(day)s") % {"day": timezone.localdate(notice.issued_at).isoformat()},
        "",
        _(
            "Notice of a ballot for industrial action: the union intends to hold a ballot of its members on “%(title)s”, asking whether they are prepared to take part in %(questions)s."
        )
        % {"title": referral.motion.title, "questions": _(" and in ").join(questions)},
        _("The ballot opens on %(day)s.") % {"day": notice.opens_on.isoformat()},
        "",
        *figures_lines(notice.figures, notice.explanation),
    ]
    return "\n".join(lines) + "\n"


def notice_pdf(title: str, text: str, english: tuple[str, str]) -> bytes:
    """A notice as a PDF: in the active language, or in English (``english``) where the PDF's built-in
    fonts cannot print the active language's letters."""
    try:
        (title + text).encode("cp1252")
    except UnicodeEncodeError:
        title, text = english
    return text_pdf(title=title, text=text)


def ballot_notice_pdf(notice: BallotNotice) -> bytes:
    """The notice of the ballot as a PDF."""
    with override(None):
        english = (_("Notice of a ballot for industrial action"), ballot_notice_text(notice))
    return notice_pdf(_("Notice of a ballot for industrial action"), ballot_notice_text(notice), english)
