"""The member roll import page: only for the unit's roll officer; dry run by default; a line-numbered report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.audit.models import LogEntry
from commune.federation.models import Member
from tests.conftest import SmallFederation

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(fed: SmallFederation, code: str = "D0-U0") -> str:
    return reverse("federation:roll", kwargs={"slug": fed.org.slug, "code": code})


def _roll(fed: SmallFederation, extra: str = "") -> SimpleUploadedFile:
    """Unit 0.0's current roll, with ``extra`` lines appended."""
    lines = ["number,name,email"]
    for m in Member.objects.filter(current_unit=fed.units[0]).select_related("person").order_by("number"):
        lines.append(f"{m.number},{m.person.name},{m.person.email}")
    return SimpleUploadedFile("roll.csv", ("\n".join(lines) + "\n" + extra).encode(), content_type="text/csv")


def test_the_roll_officer_sees_the_upload_form_linked_from_the_unit(federation: SmallFederation) -> None:
    client = _client(federation.officer)
    unit_page = client.get(reverse("federation:body", kwargs={"slug": federation.org.slug, "code": "D0-U0"}))
    assert _url(federation) in unit_page.content.decode()
    page = client.get(_url(federation))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="dry_run" id="id_dry_run" checked' in html  # a dry run unless the officer says otherwise


def test_other_members_and_outsiders_get_404(federation: SmallFederation, client: Client) -> None:
    """A rank-and-file member, a delegate, and the officer on another unit's page are all refused alike."""
    for user in (federation.member, federation.delegate):
        assert _client(user).get(_url(federation)).status_code == 404
        assert _client(user).post(_url(federation), {"roll": _roll(federation)}).status_code == 404
    assert _client(federation.officer).get(_url(federation, "D0-U1")).status_code == 404
    assert _client(federation.officer).get(_url(federation, "D0")).status_code == 404
    anonymous = client.get(_url(federation))
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]


def test_a_dry_run_reports_what_would_change_and_changes_nothing(federation: SmallFederation) -> None:
    before = LogEntry.objects.count()
    response = _client(federation.officer).post(
        _url(federation), {"roll": _roll(federation, "TF90001,New Person,new@tf.example\n"), "dry_run": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dry run: the file is valid" in html
    assert "<strong>1</strong> admit</li>" in html and "<strong>5</strong> unchanged" in html
    assert not Member.objects.filter(number="TF90001").exists()
    assert LogEntry.objects.count() == before
    # The form is offered again for the real import.
    assert 'name="dry_run" id="id_dry_run">' in html


def test_a_real_import_admits_and_is_logged(federation: SmallFederation) -> None:
    response = _client(federation.officer).post(
        _url(federation), {"roll": _roll(federation, "TF90001,New Person,new@tf.example\n")}
    )
    assert response.status_code == 200
    assert "The roll is imported" in response.content.decode()
    assert Member.objects.get(number="TF90001").current_unit == federation.units[0]
    entry = LogEntry.objects.filter(organisation=federation.org).order_by("-seq").first()
    assert entry is not None and entry.action == "roll.imported"
    assert "Member 002" in entry.actor_label


def test_problems_are_listed_by_line_and_nothing_changes(federation: SmallFederation) -> None:
    bad = "TF90001,No Address,\nTF90002,Bad Address,not-an-email\n"
    response = _client(federation.officer).post(_url(federation), {"roll": _roll(federation, bad)})
    html = response.content.decode()
    assert "The file has 2 problems" in html
    assert '<td data-label="Line" class="num">7</td>' in html  # header + 5 members, then the bad lines
    assert '<td data-label="Line" class="num">8</td>' in html
    assert "not a valid email address" in html
    assert not Member.objects.filter(number__in=["TF90001", "TF90002"]).exists()


def test_a_file_that_is_not_utf8_is_refused_with_advice(federation: SmallFederation) -> None:
    upload = SimpleUploadedFile("roll.csv", "number,name,email\n1,Zoë,z@x.org\n".encode("utf-16"))
    response = _client(federation.officer).post(_url(federation), {"roll": upload})
    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()


def test_a_post_without_a_file_is_refused(federation: SmallFederation) -> None:
    response = _client(federation.officer).post(_url(federation), {"dry_run": "on"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
