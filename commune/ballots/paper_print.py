"""Ballot papers and notices printed as PDF, one A4 page per paper, with a QR code of the paper's code by
segno (already used for two-factor sign-in).

The PDF is written here directly, in the few dozen lines the format needs for text, lines and boxes in
the standard fonts every reader has (Helvetica, Courier: nothing embedded), rather than through a
plotting library, so that papers for a whole membership print in seconds. The standard fonts' encoding
(Windows-1252) covers Western European text; a character outside it is printed as "?", which is why the
member's name is on the address slip only, and the paper itself carries nothing but the ballot's words
and its code.

Each paper has two parts. Above the cut line, the address slip: the member's name and number, for the
envelope, cut off before the paper goes in it. Below, the paper itself: the ballot's title, each question
with a box for yes and a box for no, the paper's code in print and as a QR code (which the tellers may
scan instead of typing it), and how and by when to return it. The paper itself names no one.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import segno

__all__ = ["PrintedPaper", "papers_pdf", "ranked_papers_pdf", "text_pdf"]

_WIDTH, _HEIGHT = 595, 842  # A4 in points
_FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold", "F3": "Courier", "F4": "Courier-Bold"}


@dataclass(frozen=True)
class PrintedPaper:
    code: str
    member_name: str
    member_number: str


def _escaped(text: str) -> str:
    raw = text.encode("cp1252", errors="replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


class _Page:
    """One page's content stream, in points from the bottom left."""

    def __init__(self) -> None:
        self.ops: list[str] = []

    def text(self, x: float, y: float, text: str, *, size: float = 11, font: str = "F1") -> None:
        self.ops.append(f"BT /{font} {size:g} Tf {x:.2f} {y:.2f} Td ({_escaped(text)}) Tj ET")

    def lines(self, x: float, y: float, lines: Sequence[str], *, size: float = 11, font: str = "F1") -> float:
        """Write ``lines`` downwards from ``y``; returns the ``y`` below the last."""
        for line in lines:
            self.text(x, y, line, size=size, font=font)
            y -= size * 1.3
        return y

    def rule(self, x1: float, y1: float, x2: float, y2: float, *, dashed: bool = False) -> None:
        self.ops.append(
            f"{'[4 3] 0 d ' if dashed else ''}0.6 w {x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S [] 0 d"
        )

    def box(self, x: float, y: float, w: float, h: float) -> None:
        self.ops.append(f"1.4 w {x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")

    def qr(self, x: float, y: float, size: float, data: str) -> None:
        matrix = [list(row) for row in segno.make(data, error="m").matrix]
        cell = size / len(matrix)
        cells = [
            f"{x + c * cell:.2f} {y + size - (r + 1) * cell:.2f} {cell:.2f} {cell:.2f} re"
            for r, row in enumerate(matrix)
            for c, dark in enumerate(row)
            if dark
        ]
        self.ops.append(" ".join(cells) + " f")

    def stream(self) -> bytes:
        return "\n".join(self.ops).encode("latin-1")


def _document(pages: Sequence[_Page], title: str) -> bytes:
    """The PDF file of ``pages``: catalogue, page tree, the four standard fonts, then each page."""
    objects: list[bytes] = []
    font_ids = {}
    for name, base in _FONTS.items():
        objects.append(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>".encode()
        )
        font_ids[name] = len(objects) + 2  # after the catalogue (1) and the page tree (2)
    fonts = " ".join(f"/{name} {n} 0 R" for name, n in font_ids.items())
    info = len(objects) + 3
    objects.append(f"<< /Title ({_escaped(title)}) /Creator (Commune) >>".encode("latin-1"))
    kids = []
    for page in pages:
        content = page.stream()
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        contents_id = len(objects) + 2
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_WIDTH} {_HEIGHT}] "
            f"/Resources << /Font << {fonts} >> >> /Contents {contents_id} 0 R >>".encode()
        )
        kids.append(len(objects) + 2)
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate([*head, *objects], 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        info,
        xref,
    )
    return bytes(out)


def _wrap(text: str, width: int) -> list[str]:
    return [line for paragraph in text.splitlines() for line in (textwrap.wrap(paragraph, width) or [""])]


def _paper_page(paper: PrintedPaper, title: str) -> tuple[_Page, float]:
    """A paper's page with its address slip and title; returns it and the ``y`` to write on from."""
    page = _Page()
    page.text(56, 800, paper.member_name, size=11)
    page.text(56, 786, f"Member {paper.member_number}", size=9)
    page.text(360, 800, "Address slip: cut off along the line", size=7)
    page.rule(28, 770, 567, 770, dashed=True)
    y = page.lines(56, 740, _wrap(title, 60), size=15, font="F2")
    return page, page.lines(56, y - 4, ["BALLOT PAPER"], size=10) - 14


def _paper_foot(page: _Page, paper: PrintedPaper, instructions: str) -> None:
    page.lines(56, 220, _wrap(instructions, 92), size=8.5)
    page.text(56, 60, f"Paper {paper.code}", size=13, font="F4")
    page.qr(440, 40, 110, paper.code)


def papers_pdf(
    *, title: str, questions: Sequence[str], papers: Sequence[PrintedPaper], instructions: str
) -> bytes:
    """The PDF of ``papers``, one page each, asking ``questions`` in order."""
    pages = []
    for paper in papers:
        page, y = _paper_page(paper, title)
        for number, question in enumerate(questions, 1):
            y = page.lines(56, y, _wrap(f"{number}. {question}", 78), size=11.5) - 6
            for x, label in ((90, "YES"), (270, "NO")):
                page.box(x, y - 28, 34, 34)
                page.text(x + 44, y - 16, label, size=12, font="F2")
            y -= 58
        page.text(56, y, "Put one cross (X) in one box for each question.", size=10)
        _paper_foot(page, paper, instructions)
        pages.append(page)
    return _document(pages, title)


def ranked_papers_pdf(
    *, title: str, candidates: Sequence[str], papers: Sequence[PrintedPaper], instructions: str
) -> bytes:
    """The PDF of ranked ``papers``, one page each, listing ``candidates`` in order, each with a box for
    the voter's preference number. The page holds up to 16 candidates in one column, 32 in two."""
    pages = []
    columns = 1 if len(candidates) <= 16 else 2
    rows = -(-len(candidates) // columns)
    step = min(30.0, 430.0 / max(rows, 1))
    for paper in papers:
        page, y = _paper_page(paper, title)
        page.text(56, y, "Number the candidates in order of preference: 1 for your first choice.", size=10)
        top = y - 14
        for index, name in enumerate(candidates):
            column, row = divmod(index, rows)
            x, yy = 56 + column * 260, top - row * step
            page.box(x, yy - step * 0.8, step * 0.8, step * 0.8)
            page.text(x + step * 0.8 + 10, yy - step * 0.55, name[:38], size=11)
        _paper_foot(page, paper, instructions)
        pages.append(page)
    return _document(pages, title)


def text_pdf(*, title: str, text: str) -> bytes:
    """A notice as a PDF: its text in a fixed-width face (so its figures line up), as many A4 pages as it
    takes."""
    lines = _wrap(text, 88)
    per_page = 64
    pages = []
    for start in range(0, max(len(lines), 1), per_page):
        page = _Page()
        page.lines(42, 800, lines[start : start + per_page], size=9, font="F3")
        pages.append(page)
    return _document(pages, title)
