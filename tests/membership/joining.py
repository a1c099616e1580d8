"""Helpers for the joining tests: applying as a stranger would, and reading the emailed link."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from commune.federation.models import ConstitutionVersion, Organisation
from tests.records import recorded_update


def apply(slug: str = "tf", address: str = "192.0.2.10", **fields: Any) -> Any:
    """Apply through the public API, from ``address``, with no one signed in."""
    data = {"unit": "D0-U0", "name": "Lucy Parsons", "email": "lucy@example.org", **fields}
    return Client(REMOTE_ADDR=address).post(f"/api/orgs/{slug}/join", data, content_type="application/json")


def link_token(to: str) -> str:
    """The token in the last application link emailed to ``to``."""
    for message in reversed(mail.outbox):
        found = re.search(r"/join/([A-Za-z0-9_-]{20,})/", str(message.body))
        if message.to == [to] and found:
            return found.group(1)
    raise AssertionError(f"no application link was emailed to {to}")


def admission_by(org: Organisation, admission: str) -> None:
    """Put the organisation's constitution in force with ``membership.admission`` set so."""
    version = ConstitutionVersion.objects.get(organisation=org, number=1)
    recorded_update(
        ConstitutionVersion.objects.filter(pk=version.pk),
        rules={**version.rules, "membership": {"admission": admission}},
    )
