"""The paper channel's refusals and a paper's state read in the reader's language; the notice PDF prints a
script its fonts cannot in English, the statute's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from commune.ballots.errors import PaperError
from commune.ballots.models import PaperStatus
from commune.ballots.papers import paper_channel_open
from commune.motions.selectors.statutory import statutory_notice_pdf

NOTICE = {
    "organisation": "Metro Union",
    "motion": "Strike for pay",
    "council": "Congress",
    "employer": "Metro Ltd",
    "scrutineer": "A. Scrutineer",
    "counted": False,
    "questions": [],
    "papers": {},
}


def test_a_paper_channel_refusal_is_in_the_active_language() -> None:
    with translation.override("es"), pytest.raises(PaperError, match="indica al menos 3 escrutadores"):
        paper_channel_open(box_ids=[1], tellers=[])
    with translation.override("fr"), pytest.raises(PaperError, match="désignez au moins 3 scrutateur"):
        paper_channel_open(box_ids=[1], tellers=[])
    with translation.override("en"), pytest.raises(PaperError, match="name at least 3 tellers"):
        paper_channel_open(box_ids=[1], tellers=[])


def test_a_papers_state_is_named_in_the_active_language() -> None:
    with translation.override("ar"):
        assert str(PaperStatus.COUNTED.label) == "معادة ومحسوبة"
    with translation.override("fr"):
        assert str(PaperStatus.COUNTED.label) == "Retourné et compté"


def test_the_notice_pdf_is_printed_in_french_and_in_english_for_arabic() -> None:
    with translation.override("fr"):
        french = statutory_notice_pdf(NOTICE)
    with translation.override("ar"):
        arabic = statutory_notice_pdf(NOTICE)
    assert "Avis du résultat".encode("cp1252") in french
    assert b"Notice of the result of the ballot of members of Metro Union" in arabic
    assert b"?????" not in arabic
