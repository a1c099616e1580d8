"""The provenance log through the API: newest first, paginated, filtered, and verified."""

from __future__ import annotations

from django.db import connection

from commune.audit.guard import guard_remove
from commune.audit.models import LogEntry
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation

LOG = "/api/orgs/tf/log"


def test_the_log_newest_first_with_every_field(federation: SmallFederation, member_api: ApiClient) -> None:
    """Entries come newest first, each with its position, body, actor, payload and both hashes."""
    page = member_api.get(LOG, limit=5).json()
    total = LogEntry.objects.filter(organisation=federation.org).count()
    assert page["count"] == total
    seqs = [e["seq"] for e in page["items"]]
    assert seqs == list(range(total, total - 5, -1))
    newest = LogEntry.objects.get(organisation=federation.org, seq=total)
    item = page["items"][0]
    assert item["action"] == newest.action == "delegate.seated"
    assert item["body_code"] == "CONGRESS"
    assert item["actor_label"] == newest.actor_label
    assert item["summary"] == newest.summary
    assert item["payload"] == newest.payload
    assert (item["prev_hash"], item["entry_hash"]) == (newest.prev_hash, newest.entry_hash)
    assert item["recorded_at"].startswith(str(newest.recorded_at.year))
    # Each entry links to the one before it.
    assert page["items"][0]["prev_hash"] == page["items"][1]["entry_hash"]


def test_the_log_pages_cover_every_entry_once(federation: SmallFederation, member_api: ApiClient) -> None:
    """Walking the pages with limit/offset yields every position exactly once."""
    total = LogEntry.objects.filter(organisation=federation.org).count()
    seen: list[int] = []
    for offset in range(0, total, 10):
        seen += [e["seq"] for e in member_api.get(LOG, limit=10, offset=offset).json()["items"]]
    assert seen == list(range(total, 0, -1))


def test_entries_without_a_body_have_none(member_api: ApiClient) -> None:
    """The founding of the organisation concerns no single body."""
    oldest = member_api.get(LOG, offset=0, limit=500).json()["items"][-1]
    assert (oldest["seq"], oldest["action"], oldest["body_code"]) == (1, "organisation.founded", None)


def test_the_log_filtered_by_body(federation: SmallFederation, member_api: ApiClient) -> None:
    """?body=CODE keeps only the entries about that body (codes are not case-sensitive)."""
    unit = federation.units[0]
    expected = list(
        LogEntry.objects.filter(organisation=federation.org, body_id=unit.pk)
        .order_by("-seq")
        .values_list("seq", flat=True)
    )
    page = member_api.get(LOG, body="d0-u0").json()
    assert page["count"] == len(expected) > 3
    assert [e["seq"] for e in page["items"]] == expected
    assert {e["body_code"] for e in page["items"]} == {"D0-U0"}
    assert {"body.created", "member.admitted", "officer.installed"} <= {e["action"] for e in page["items"]}


def test_the_log_filtered_by_action(federation: SmallFederation, member_api: ApiClient) -> None:
    """?action= takes one action, or a family ending in a dot."""
    seated = member_api.get(LOG, action="delegate.seated").json()
    assert seated["count"] == 2 and {e["action"] for e in seated["items"]} == {"delegate.seated"}
    members = member_api.get(LOG, action="member.").json()
    assert members["count"] == 20 and {e["action"] for e in members["items"]} == {"member.admitted"}
    assert member_api.get(LOG, action="member").json()["count"] == 0


def test_filtering_by_an_unknown_body_is_not_found(member_api: ApiClient) -> None:
    """A body code that does not exist here is a 404, not an empty list that looks like silence."""
    response = member_api.get(LOG, body="NOWHERE")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such body"}


def test_the_log_of_another_organisation_is_kept_apart(
    federation: SmallFederation, other_federation: SmallFederation, member_api: ApiClient
) -> None:
    """One organisation's log never shows another's entries."""
    page = member_api.get(LOG, limit=500).json()
    assert page["count"] == LogEntry.objects.filter(organisation=federation.org).count()
    other_hashes = set(
        LogEntry.objects.filter(organisation=other_federation.org).values_list("entry_hash", flat=True)
    )
    assert not other_hashes & {e["entry_hash"] for e in page["items"]}


def test_verify_reports_an_intact_chain(federation: SmallFederation, member_api: ApiClient) -> None:
    """An untouched chain verifies, every entry counted."""
    report = member_api.get(f"{LOG}/verify").json()
    total = LogEntry.objects.filter(organisation=federation.org).count()
    newest = LogEntry.objects.get(organisation=federation.org, seq=total)
    assert report == {
        "ok": True,
        "entries": total,
        "problem": None,
        "head": {"seq": total, "entry_hash": newest.entry_hash},
        "discrepancies": [],
        "discrepancy_count": 0,
        "checkpoint": None,  # no earlier check left a checkpoint to start from
    }


def test_verify_names_a_tampered_entry(federation: SmallFederation, member_api: ApiClient) -> None:
    """Rewriting an entry behind the guard's back is found and the entry named."""
    guard_remove(connection)  # what someone who owns the database would do first
    target = LogEntry.objects.get(organisation=federation.org, seq=6)
    LogEntry.objects.filter(pk=target.pk).update(summary="Nothing happened here")
    report = member_api.get(f"{LOG}/verify").json()
    assert report["ok"] is False
    assert report["entries"] == 6
    assert report["problem"]["seq"] == 6
    assert "changed" in report["problem"]["reason"]


def test_verify_names_a_deleted_entry(federation: SmallFederation, member_api: ApiClient) -> None:
    """A removed entry shows as a missing position."""
    guard_remove(connection)
    LogEntry.objects.filter(organisation=federation.org, seq=9).delete()
    report = member_api.get(f"{LOG}/verify").json()
    assert report["ok"] is False and report["problem"]["seq"] == 9
    assert "missing" in report["problem"]["reason"]
