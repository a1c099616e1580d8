"""A meeting in the reader's language: its pages, its minutes and its refusals, with the numbers a
machine reads (times, ids in forms) left as they are."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from commune.meetings.minutes import minutes_of
from commune.meetings.models import Ruling
from commune.meetings.pdf import minutes_lines
from commune.motions.models import CouncilSession
from tests.meetings.conftest import Fed, call, meeting
from tests.motions.test_pages import as_member, text_of, url

pytestmark = pytest.mark.django_db


def _act(fed: Fed, n: int, session: int, act: str, **data: object) -> None:
    response = as_member(fed, n).post(url(fed, "meetings:act", session_id=session, act=act), data)
    assert response.status_code == 302


@pytest.fixture
def sitting(fed: Fed) -> int:
    """District 0 sits: m3 (the chair, who called it) and m6 on the roll, an item on the floor, m6
    speaking, and a ruling of the chair challenged."""
    session = call(fed)
    _act(fed, 3, session, "check-in")
    _act(fed, 6, session, "check-in")
    _act(fed, 3, session, "floor", position=1)
    _act(fed, 6, session, "speak", kind="for")
    _act(fed, 3, session, "next")
    _act(fed, 3, session, "rule", text="Speeches keep to the motion.")
    return session


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "es",
            ["Orden del día", "Tiene la palabra:", "Lista de asistencia", "Resoluciones de la presidencia"],
        ),
        ("ar", ["جدول الأعمال", "يتحدث الآن:", "كشف الحضور", "قرارات رئاسة الجلسة"]),
    ],
)
def test_the_meeting_and_the_projector_speak_the_readers_language(
    fed: Fed, sitting: int, language: str, words: list[str]
) -> None:
    """The meeting page and the projector are in the browser's language; the speaker's timer words
    (which the script fills) come from the page; times and ids a machine reads stay plain."""
    for name in ("meetings:meeting", "meetings:projector"):
        response = as_member(fed, 6).get(url(fed, name, session_id=sitting), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        page = response.content.decode()
        for word in words:
            assert word in page, (name, word)
        assert re.search(r'data-ends-at="\d{4}-\d\d-\d\dT[\d:.]+\+00:00"', page)
        left = re.search(r'data-left="([^"]+)"', page)
        assert left is not None and "%(time)s" in left.group(1) and "left" not in left.group(1)
    page = as_member(fed, 6).get(url(fed, "meetings:meeting", session_id=sitting), HTTP_ACCEPT_LANGUAGE="es")
    ruling = Ruling.objects.get()
    assert f'name="ruling" value="{ruling.pk}"' in page.content.decode()
    assert "Impugnar" in page.content.decode()


def test_the_minutes_page_and_pdf_are_in_the_readers_language(fed: Fed, sitting: int) -> None:
    """The minutes' framing words are translated, on the page and in the PDF; the record's own words
    (titles, names) stay as they were written."""
    page = as_member(fed, 6).get(url(fed, "meetings:minutes", session_id=sitting), HTTP_ACCEPT_LANGUAGE="es")
    text = text_of(page.content)
    assert "Acta: D0 meets" in text and "Asistencia" in text and "Aún no aprobada" in text
    record, _adopted = minutes_of(session=CouncilSession.objects.get(pk=sitting))
    with translation.override("fr"):
        lines = [line for line, _heading in minutes_lines(record)]
    assert "Procès-verbal : D0 meets" in lines and "Présences" in lines


def test_a_refusal_through_the_api_is_in_the_callers_language(fed: Fed, sitting: int) -> None:
    """Only the chair calls the next speaker: m6 is told so in Spanish, then in Arabic."""
    for language, words in (
        ("es", "solo la presidencia de la mesa puede dar la palabra a la siguiente persona"),
        ("ar", "لا يمنح الكلام للمتحدث التالي إلا رئاسة الجلسة"),
    ):
        api = fed.api(6)
        response = api.client.post(
            f"/api/orgs/{fed.slug}/sessions/{sitting}/meeting/speakers/next",
            content_type="application/json",
            **api.headers,
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 403
        assert words in response.json()["detail"]
    english = meeting(fed, 6, sitting, "speakers/next")
    assert "only the chair of the meeting may call the next speaker" in english.json()["detail"]


def _pdf_glyphs(document: bytes) -> set[str]:
    """The names of the glyphs a PDF drawn by matplotlib uses (its fonts' encodings name each one)."""
    blocks = re.findall(rb"/Differences \[([^\]]*)\]", document)
    return {name.decode() for block in blocks for name in re.findall(rb"/([\w.]+)", block)}


def test_the_minutes_pdf_in_arabic_is_drawn_in_joined_letters(fed: Fed, sitting: int) -> None:
    """An Arabic reader's minutes: the Arabic letters are drawn joined, in the forms they take at the start,
    middle and end of a word (DejaVu Sans's presentation forms, U+FE70-U+FEFF); the names stay as written.
    Drawn unshaped, every letter would be its lone form (U+0620-U+064A) and no presentation form used."""
    response = as_member(fed, 6).get(
        url(fed, "meetings:minutes_pdf", session_id=sitting), HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    glyphs = _pdf_glyphs(response.content)
    joined = {g for g in glyphs if re.fullmatch(r"uniFE[7-9A-F][0-9A-F]", g)}
    assert len(joined) > 20, glyphs
    # Meem, which joins on both sides, is drawn at the start and in the middle of words, never alone.
    assert {"uniFEE3", "uniFEE4"} <= joined and "uni0645" not in glyphs
    assert {"D", "zero"} <= glyphs  # the council's own name, "D0"


@pytest.mark.parametrize(("language", "align", "marked"), [("ar", "right", True), ("en", "left", False)])
def test_the_minutes_pdf_in_arabic_reads_from_the_right(
    fed: Fed, sitting: int, monkeypatch: pytest.MonkeyPatch, language: str, align: str, marked: bool
) -> None:
    """In Arabic every line is set against the right margin and opens with a right-to-left mark, so a
    line that starts with a council's name in Latin letters still reads from the right; in English,
    from the left margin, unmarked."""
    from matplotlib.figure import Figure

    from commune.meetings.pdf import RIGHT_TO_LEFT_MARK, minutes_pdf

    drawn: list[tuple[float, str, str]] = []
    original = Figure.text

    def text(self: Figure, x: float, y: float, s: str, *args: object, **kwargs: object) -> object:
        drawn.append((x, s, str(kwargs.get("ha", "left"))))
        return original(self, x, y, s, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Figure, "text", text)
    record, _adopted = minutes_of(session=CouncilSession.objects.get(pk=sitting))
    with translation.override(language):
        minutes_pdf(record)
    lines = [(x, s, ha) for x, s, ha in drawn if s and ha != "center"]
    assert lines and all(ha == align for _x, _s, ha in lines)
    assert all(s.startswith(RIGHT_TO_LEFT_MARK) == marked for _x, s, _ha in lines)
    assert all((x > 0.5) == marked for x, _s, _ha in lines)
    # "%(council)s of %(organisation)s" opens with the council's name, in Latin letters.
    assert any(s.lstrip(RIGHT_TO_LEFT_MARK).startswith("District 0") for _x, s, _ha in lines)
