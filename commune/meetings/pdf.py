"""Minutes as a PDF, drawn with matplotlib's PDF backend (already a dependency, for the count charts): A4
pages of plain text, wrapped, numbered, with the title in the document's metadata. Imported only when a
PDF is asked for.

In a right-to-left language (Arabic) each line is set against the right margin and opens with a
right-to-left mark, so that a line beginning with a name in Latin letters still reads from the right.
matplotlib (3.11 and later, through libraqm) joins the Arabic letters and orders each line itself: the
text is given to it in the order it is written, never pre-shaped or reversed."""

from __future__ import annotations

import functools
import io
import textwrap
from collections.abc import Iterator
from typing import Any

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

#: A4 in inches, the margins and the type.
PAGE = (8.27, 11.69)
MARGIN = 0.75
LINE = 0.19
SIZE = 9.5
WIDTH = 98


def minutes_lines(record: dict[str, Any], adopted: str = "") -> Iterator[tuple[str, bool]]:
    """The minutes as lines of text, each with whether it is a heading: the framing words in the reader's
    language, the record's own words (names, titles, the rule, the results) as the record holds them."""
    yield _("Minutes: %(title)s") % {"title": record["title"]}, True
    yield (
        _("%(council)s of %(organisation)s")
        % {"council": record["council"], "organisation": record["organisation"]},
        False,
    )
    yield (
        _("Called by %(by)s; sat from %(starts)s")
        % {"by": record["called_by"], "starts": record["starts_at"]},
        False,
    )
    yield (
        (
            _("Closed %(closed)s") % {"closed": record["closed_at"]}
            if record["closed_at"]
            else _("The session has not closed.")
        ),
        False,
    )
    yield adopted or _("Not yet adopted: written from the record as it stands."), False
    yield "", False
    yield _("Attendance"), True
    for a in record["attendance"]:
        values = {**a, "constituency": a["constituency"], "name": a["name"], "number": a["number"]}
        if a["alternate_for"]:
            line = _(
                "%(constituency)s: %(name)s (member %(number)s), alternate for %(alternate_for)s, weight %(weight)s"
            )
        else:
            line = _("%(constituency)s: %(name)s (member %(number)s), weight %(weight)s")
        yield line % values, False
    if not record["attendance"]:
        yield _("Nobody signed the roll."), False
    yield "", False
    yield _("Chair"), True
    for chair in record["chairs"]:
        yield chair, False
    if record["tellers"]:
        yield _("Tellers: %(names)s") % {"names": ", ".join(record["tellers"])}, False
    for item in record["items"]:
        yield "", False
        yield (f"{item['position']}. " if item["position"] else "") + item["title"], True
        if item["mover"]:
            yield _("Moved by %(mover)s.") % {"mover": item["mover"]}, False
        if item["text"]:
            yield item["text"], False
        if item["speakers"]:
            yield _("Speakers: %(names)s") % {"names": "; ".join(item["speakers"])}, False
        for vote in item["votes"]:
            yield _("Vote: %(question)s (opened %(opened_at)s by %(opened_by)s)") % vote, False
            for sentence in vote["rule"]:
                yield f"  {sentence}", False
            if vote["present"] is not None:
                tally = (
                    _("%(result)s: %(yes)s yes, %(no)s no, %(abstain)s abstain, %(present)s present") % vote
                )
            else:
                tally = _("%(result)s: %(yes)s yes, %(no)s no, %(abstain)s abstain") % vote
            yield f"  {tally}" + (f". {vote['explanation']}" if vote["explanation"] else ""), False
            if vote["tellers"]:
                names = functools.reduce(
                    lambda first, second: _("%(first)s and %(second)s") % {"first": first, "second": second},
                    vote["tellers"],
                )
                yield "  " + _("Hands counted by %(names)s") % {"names": names}, False
            for cast in vote["roll_call"]:
                line = (
                    _("%(constituency)s: %(name)s (member %(number)s) %(choice)s, weight %(weight)s") % cast
                )
                if cast["alternate"]:
                    line += " " + _("(as alternate)")
                if cast["by_hand"]:
                    line += " " + _("(by hand)")
                if cast["departed"]:
                    line += " " + _("(departing from the mandate: %(reason)s)") % {"reason": cast["reason"]}
                yield f"  {line}", False
        if item["decision"]:
            yield _("Decision: %(decision)s.") % {"decision": item["decision"]}, False
    if record["rulings"]:
        yield "", False
        yield _("Rulings of the chair"), True
        for r in record["rulings"]:
            if r["challenged_by"]:
                line = _("%(text)s (%(by)s, challenged by %(challenged_by)s): %(outcome)s") % r
            else:
                line = _("%(text)s (%(by)s): %(outcome)s") % r
            yield line, False


#: U+200F RIGHT-TO-LEFT MARK: sets the direction of a line that opens with a Latin name or a figure.
RIGHT_TO_LEFT_MARK = "\u200f"


def _drawn(line: str, right_to_left: bool) -> str:
    return RIGHT_TO_LEFT_MARK + line if right_to_left and line else line


def minutes_pdf(record: dict[str, Any], adopted: str = "") -> bytes:
    """The minutes as a PDF document, in the active language."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    right_to_left = get_language_bidi()
    wrapped: list[tuple[str, bool]] = []
    for text, heading in minutes_lines(record, adopted):
        for paragraph in text.split("\n") or [""]:
            parts = textwrap.wrap(paragraph, WIDTH, subsequent_indent="    ") or [""]
            wrapped += [(_drawn(part, right_to_left), heading) for part in parts]
    x, align = (1 - MARGIN / PAGE[0], "right") if right_to_left else (MARGIN / PAGE[0], "left")
    per_page = int((PAGE[1] - 2 * MARGIN) / LINE) - 1
    pages = [wrapped[i : i + per_page] for i in range(0, len(wrapped), per_page)] or [[]]
    buffer = io.BytesIO()
    metadata = {
        "Title": _("Minutes: %(title)s") % {"title": record["title"]},
        "Creator": "Commune",
        "CreationDate": None,
    }
    with PdfPages(buffer, metadata=metadata) as pdf:
        for number, lines in enumerate(pages, start=1):
            figure = Figure(figsize=PAGE)
            for row, (text, heading) in enumerate(lines):
                y = 1 - (MARGIN + row * LINE) / PAGE[1]
                figure.text(
                    x,
                    y,
                    text,
                    ha=align,
                    fontsize=SIZE + (1.5 if heading else 0),
                    fontweight="bold" if heading else "normal",
                    family="DejaVu Sans",
                    va="top",
                    parse_math=False,
                )
            folio = _("%(number)s of %(total)s") % {"number": number, "total": len(pages)}
            figure.text(
                0.5,
                MARGIN / 2 / PAGE[1],
                _drawn(folio, right_to_left),
                ha="center",
                fontsize=8,
                family="DejaVu Sans",
            )
            pdf.savefig(figure)
    return buffer.getvalue()
