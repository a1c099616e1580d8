"""The statutory terms on the web refer form: shown for a motion that calls industrial action, checked
with each refusal beside its field (the form's own checks and the service's), and, once right, put to the
council's vote as the API would put them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from commune.motions.models import Vote
from tests.conftest import PASSWORD
from tests.motions.conftest import Fed, on_agenda, sitting
from tests.motions.test_statutory_ballots import scrutineer  # noqa: F401

pytestmark = pytest.mark.django_db


def _field_error(html: str, field: str) -> str:
    """The error shown beside ``field`` (empty if none)."""
    found = re.search(rf'id="id_{field}_error"[^>]*>([^<]*)<', html)
    return found.group(1) if found else ""


def test_the_refer_form_takes_the_statutory_terms_and_shows_each_refusal_on_its_field(
    fed: Fed,
    scrutineer: Any,  # noqa: F811
) -> None:
    motion_id = on_agenda(fed, 3, "CONGRESS", supporter=11, industrial_action=True)
    sitting(fed, "CONGRESS", 3, 11)
    page = Client()
    assert page.login(email="m3@tf.example", password=PASSWORD)
    detail = page.get(f"/o/{fed.slug}/motions/{motion_id}/").content.decode()
    assert 'name="scrutineer_email"' in detail and 'name="tellers"' in detail
    url = f"/o/{fed.slug}/motions/{motion_id}/refer/"
    base = {"to": "referendum", "referral_days": "7", "statutory": "on", "strike": "on"}
    # The form's own checks: no employer, two tellers, the scrutineer's address not an address.
    shown = page.post(url, {**base, "scrutineer_email": "nobody", "tellers": "1 2"})
    assert shown.status_code == 400
    html = shown.content.decode()
    assert _field_error(html, "employer") == "Name the employer."
    assert _field_error(html, "tellers") == "Name at least three tellers."
    assert _field_error(html, "scrutineer_email")
    assert 'aria-invalid="true"' in html and 'value="1 2"' in html
    # The service's checks, beside their fields: a member as scrutineer, a day to open that has come.
    numbers = " ".join(fed.members[f"m{n}"].number for n in (12, 13, 14))
    terms = {**base, "employer": "Metro Transit Ltd", "tellers": numbers}
    member = page.post(url, {**terms, "scrutineer_email": "m20@tf.example"})
    assert member.status_code == 400
    assert "independent" in _field_error(member.content.decode(), "scrutineer_email")
    assert not Vote.objects.filter(details__has_key="statutory").exists()
    put = page.post(url, {**terms, "scrutineer_email": "scrutineer@example.org", "short_of_strike": "on"})
    assert put.status_code == 302, put.content.decode()
    vote = Vote.objects.get(details__has_key="statutory")
    stored = vote.details["statutory"]
    assert (stored["strike"], stored["short_of_strike"], stored["employer"]) == (
        True,
        True,
        "Metro Transit Ltd",
    )
    assert len(stored["tellers"]) == 3 and "opens_on" not in stored


def test_an_ordinary_referral_ignores_the_statutory_terms_left_blank(fed: Fed) -> None:
    motion_id = on_agenda(fed, 3, "CONGRESS", supporter=11, industrial_action=True)
    sitting(fed, "CONGRESS", 3, 11)
    page = Client()
    assert page.login(email="m3@tf.example", password=PASSWORD)
    put = page.post(
        f"/o/{fed.slug}/motions/{motion_id}/refer/",
        {"to": "referendum", "referral_days": "7", "strike": "on"},
    )
    assert put.status_code == 302
    assert "statutory" not in Vote.objects.get(details__has_key="kind").details
