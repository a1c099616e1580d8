"""Operators' admin writes are recorded in the provenance log; seats, constitutions and the log itself
cannot be written through the admin."""

from __future__ import annotations

import pytest
from django.test import Client

from commune.accounts.models import User
from commune.audit.models import LogEntry
from commune.audit.verification import chain_verify
from commune.federation.models import Body, Office
from tests.conftest import SmallFederation


@pytest.fixture
def operator_client(federation: SmallFederation) -> Client:
    operator = User.objects.create_superuser(email="op@example.org", password="x" * 12, name="Olga Operator")
    client = Client()
    client.force_login(operator)
    return client


def _last_entry(fed: SmallFederation) -> LogEntry:
    entry = LogEntry.objects.filter(organisation=fed.org).order_by("-seq").first()
    assert entry is not None
    return entry


def test_an_admin_change_to_a_body_is_logged_with_old_and_new_values(
    federation: SmallFederation, operator_client: Client
) -> None:
    """Renaming a unit in the admin appends an entry naming the operator and the change; the chain
    still verifies."""
    unit = federation.units[0]
    response = operator_client.post(
        f"/admin/federation/body/{unit.pk}/change/",
        {
            "code": unit.code,
            "name": "Renamed Depot",
            "unit_type": "depot",
            "seats_fixed": "",
            "members_per_seat": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Body.objects.get(pk=unit.pk).name == "Renamed Depot"
    entry = _last_entry(federation)
    assert entry.action == "admin.changed"
    assert entry.actor_label == "operator Olga Operator (admin)"
    assert entry.body_id == unit.pk
    assert entry.payload["fields"] == {"name": {"from": unit.name, "to": "Renamed Depot"}}
    assert chain_verify(organisation_id=federation.org.pk).ok


def test_saving_without_changes_records_nothing(federation: SmallFederation, operator_client: Client) -> None:
    """An unchanged save is not an act and leaves the log alone."""
    unit = federation.units[0]
    before = LogEntry.objects.count()
    operator_client.post(
        f"/admin/federation/body/{unit.pk}/change/",
        {
            "code": unit.code,
            "name": unit.name,
            "unit_type": "depot",
            "seats_fixed": "",
            "members_per_seat": "",
        },
    )
    assert LogEntry.objects.count() == before


def test_deleting_through_the_admin_is_logged(federation: SmallFederation, operator_client: Client) -> None:
    """Deleting an office (here one never filled) is recorded before the row goes."""
    office = Office.objects.create(body=federation.units[1], title="Social Secretary")
    response = operator_client.post(f"/admin/federation/office/{office.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Office.objects.filter(pk=office.pk).exists()
    entry = _last_entry(federation)
    assert entry.action == "admin.deleted" and "Social Secretary" in entry.summary
    assert chain_verify(organisation_id=federation.org.pk).ok


def test_a_change_to_a_person_is_logged_in_their_organisation(
    federation: SmallFederation, operator_client: Client
) -> None:
    """Changing a member's name through the user admin is logged to their organisation."""
    person = federation.member
    response = operator_client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        {
            "email": person.email,
            "name": "New Name",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    entry = _last_entry(federation)
    assert entry.action == "admin.changed"
    assert entry.payload["fields"]["name"] == {"from": person.name, "to": "New Name"}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/federation/delegation/add/",
        "/admin/federation/body/add/",
        "/admin/federation/constitutionversion/add/",
        "/admin/audit/logentry/add/",
        "/admin/accounts/apitoken/add/",
    ],
)
def test_seats_bodies_constitutions_tokens_and_the_log_cannot_be_added(
    operator_client: Client, url: str
) -> None:
    """Delegates come from elections, bodies from founding, constitutions from votes: never the admin."""
    assert operator_client.get(url).status_code == 403


def test_log_entries_can_be_viewed_but_not_changed(
    federation: SmallFederation, operator_client: Client
) -> None:
    """The log is readable in the admin; a change is refused and nothing is written."""
    entry = _last_entry(federation)
    assert operator_client.get(f"/admin/audit/logentry/{entry.pk}/change/").status_code == 200
    response = operator_client.post(f"/admin/audit/logentry/{entry.pk}/change/", {"summary": "rewritten"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.summary != "rewritten"


def test_a_change_to_a_persons_email_is_logged_without_either_address(
    federation: SmallFederation, operator_client: Client
) -> None:
    """Every member reads the log, so an address change is recorded as made, never with the addresses."""
    person = federation.member
    response = operator_client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        {
            "email": "new.address@tf.example",
            "name": person.name,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    entry = _last_entry(federation)
    assert entry.payload["fields"]["email"] == {"from": "(not recorded)", "to": "(not recorded)"}
    assert "@" not in f"{entry.summary} {entry.actor_label} {entry.payload}"


def test_the_admin_cannot_move_or_dissolve_a_unit(
    federation: SmallFederation, operator_client: Client
) -> None:
    """A unit's council and its dissolution are the members' structural decisions (docs/structure.md): the
    admin's form ignores them."""
    unit, other = federation.units[0], federation.districts[1]
    response = operator_client.post(
        f"/admin/federation/body/{unit.pk}/change/",
        {
            "code": unit.code,
            "name": unit.name,
            "unit_type": "depot",
            "seats_fixed": "",
            "members_per_seat": "",
            "parent": other.pk,
            "dissolved_at_0": "2026-01-01",
            "dissolved_at_1": "00:00:00",
            "dissolved_by": "1",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    after = Body.objects.get(pk=unit.pk)
    assert (after.parent_id, after.dissolved_at, after.dissolved_by) == (unit.parent_id, None, None)
