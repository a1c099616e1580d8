"""Everything Commune holds about a person, as one JSON document they can download.

Each app that stores something about people contributes a *section*: a function from the person to plain
JSON values (dicts, lists, strings, numbers, booleans, ``None``), registered once at start-up with
``personal_data_section_register`` (in the app's ``AppConfig.ready``). A new app adds its own section and
nothing here changes. A section returns only what is the person's own and never anything that would link
them to a secret ballot's choice or to a secret signature (a recall petition's, a pledge): those are stored
so that nobody, the person included, can read them back, and an export must not be the first place they are.

Each section should read with a fixed number of queries however much the person has, so an export costs
the same for a new member and for an officer of twenty years.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from django.utils import timezone

from commune.accounts.models import User

#: A section: the person → plain JSON values.
Section = Callable[[User], Any]

_SECTIONS: dict[str, Section] = {}

#: The version of the document's shape, bumped when a section is removed or changes meaning.
FORMAT = 1


def personal_data_section_register(name: str, section: Section) -> None:
    """Add a section under ``name`` (one per app; registering the same name twice is a bug)."""
    if name in _SECTIONS and _SECTIONS[name] is not section:
        raise ValueError(f"a personal data section named {name!r} is already registered")
    _SECTIONS[name] = section


def moment(value: datetime | date | None) -> str | None:
    """A time or date as the export writes it (ISO 8601; times in UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def _account(person: User) -> dict[str, Any]:
    return {
        "name": person.name,
        "email": person.email,
        "joined": moment(person.date_joined),
        "last_sign_in": moment(person.last_login),
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": moment(t.created_at),
                "last_used_at": moment(t.last_used_at),
                "revoked_at": moment(t.revoked_at),
            }
            for t in person.api_tokens.order_by("created_at", "id")
        ],
    }


personal_data_section_register("account", _account)


def personal_data_export(*, person: User) -> dict[str, Any]:
    """The whole document: when it was made, its format, and every registered section by name."""
    return {
        "format": FORMAT,
        "generated_at": moment(timezone.now()),
        "sections": {name: _SECTIONS[name](person) for name in sorted(_SECTIONS)},
    }
