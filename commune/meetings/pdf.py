"""Minutes as a PDF, drawn with matplotlib's PDF backend (already a dependency, for the count charts): A4
pages of plain text, wrapped, numbered, with the title in the document's metadata. Imported only when a
PDF is asked for."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterator
from typing import Any

#: A4 in inches, the margins and the type.
PAGE = (8.27, 11.69)
MARGIN = 0.75
LINE = 0.19
SIZE = 9.5
WIDTH = 98


def minutes_lines(record: dict[str, Any], adopted: str = "") -> Iterator[tuple[str, bool]]:
    """The minutes as lines of text, each with whether it is a heading."""
    yield f"Minutes: {record['title']}", True
    yield f"{record['council']} of {record['organisation']}", False
    yield f"Called by {record['called_by']}; sat from {record['starts_at']}", False
    yield (f"Closed {record['closed_at']}" if record["closed_at"] else "The session has not closed."), False
    yield adopted or "Not yet adopted: written from the record as it stands.", False
    yield "", False
    yield "Attendance", True
    for a in record["attendance"]:
        standing = f", alternate for {a['alternate_for']}" if a["alternate_for"] else ""
        yield (
            f"{a['constituency']}: {a['name']} (member {a['number']}){standing}, weight {a['weight']}",
            False,
        )
    if not record["attendance"]:
        yield "Nobody signed the roll.", False
    yield "", False
    yield "Chair", True
    for chair in record["chairs"]:
        yield chair, False
    if record["tellers"]:
        yield "Tellers: " + ", ".join(record["tellers"]), False
    for item in record["items"]:
        yield "", False
        yield (f"{item['position']}. " if item["position"] else "") + item["title"], True
        if item["mover"]:
            yield f"Moved by {item['mover']}.", False
        if item["text"]:
            yield item["text"], False
        if item["speakers"]:
            yield "Speakers: " + "; ".join(item["speakers"]), False
        for vote in item["votes"]:
            yield f"Vote: {vote['question']} (opened {vote['opened_at']} by {vote['opened_by']})", False
            for sentence in vote["rule"]:
                yield f"  {sentence}", False
            yield (
                (
                    f"  {vote['result']}: {vote['yes']} yes, {vote['no']} no, {vote['abstain']} abstain"
                    + (f", {vote['present']} present" if vote["present"] is not None else "")
                    + (f". {vote['explanation']}" if vote["explanation"] else "")
                ),
                False,
            )
            if vote["tellers"]:
                yield "  Hands counted by " + " and ".join(vote["tellers"]), False
            for cast in vote["roll_call"]:
                yield (
                    (
                        f"  {cast['constituency']}: {cast['name']} (member {cast['number']}) {cast['choice']}"
                        f", weight {cast['weight']}"
                        + (" (as alternate)" if cast["alternate"] else "")
                        + (" (by hand)" if cast["by_hand"] else "")
                        + (f" departing from the mandate: {cast['reason']}" if cast["departed"] else "")
                    ),
                    False,
                )
        if item["decision"]:
            yield f"Decision: {item['decision']}.", False
    if record["rulings"]:
        yield "", False
        yield "Rulings of the chair", True
        for r in record["rulings"]:
            challenged = f", challenged by {r['challenged_by']}" if r["challenged_by"] else ""
            yield f"{r['text']} ({r['by']}{challenged}): {r['outcome']}", False


def minutes_pdf(record: dict[str, Any], adopted: str = "") -> bytes:
    """The minutes as a PDF document."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    wrapped: list[tuple[str, bool]] = []
    for text, heading in minutes_lines(record, adopted):
        for paragraph in text.split("\n") or [""]:
            parts = textwrap.wrap(paragraph, WIDTH, subsequent_indent="    ") or [""]
            wrapped += [(part, heading) for part in parts]
    per_page = int((PAGE[1] - 2 * MARGIN) / LINE) - 1
    pages = [wrapped[i : i + per_page] for i in range(0, len(wrapped), per_page)] or [[]]
    buffer = io.BytesIO()
    metadata = {"Title": f"Minutes: {record['title']}", "Creator": "Commune", "CreationDate": None}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for number, lines in enumerate(pages, start=1):
            figure = Figure(figsize=PAGE)
            for row, (text, heading) in enumerate(lines):
                y = 1 - (MARGIN + row * LINE) / PAGE[1]
                figure.text(
                    MARGIN / PAGE[0],
                    y,
                    text,
                    fontsize=SIZE + (1.5 if heading else 0),
                    fontweight="bold" if heading else "normal",
                    family="DejaVu Sans",
                    va="top",
                    parse_math=False,
                )
            figure.text(0.5, MARGIN / 2 / PAGE[1], f"{number} of {len(pages)}", ha="center", fontsize=8)
            pdf.savefig(figure)
    return buffer.getvalue()
