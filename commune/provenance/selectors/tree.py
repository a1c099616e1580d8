"""The shape of a decision's provenance: a tree of nodes, each with its page and the log entry that
recorded it, and the gaps where a link the chain needs is missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from commune.federation.models import Organisation

#: The kinds of decision whose provenance can be read, as they appear in URLs.
DECISION_KINDS = ("vote", "motion", "referral", "election", "executive-decision")


@dataclass(frozen=True)
class LogRef:
    """The provenance log entry that recorded a node's act."""

    seq: int
    hash: str
    action: str
    recorded_at: str


@dataclass
class ProvenanceNode:
    kind: str
    id: int | None
    title: str
    summary: str = ""
    url: str = ""
    provenance_url: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    log: LogRef | None = None
    #: Why a link the chain needs is missing (a seat no election conferred…); empty when it is whole.
    gap: str = ""
    children: list[ProvenanceNode] = field(default_factory=list)

    def walk(self) -> Iterator[ProvenanceNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Provenance:
    organisation: Organisation
    kind: str
    root: ProvenanceNode

    @property
    def gaps(self) -> list[str]:
        """Every missing link, in reading order: nodes marked as gaps and acts the log does not show."""
        found: list[str] = []
        for node in self.root.walk():
            if node.gap:
                found.append(f"{node.kind} {node.title}: {node.gap}")
            elif node.kind in LOGGED_KINDS and node.log is None:
                found.append(
                    _("%(kind)s %(title)s: no provenance log entry records it")
                    % {"kind": node.kind, "title": node.title}
                )
        return found

    @property
    def complete(self) -> bool:
        return not self.gaps


#: Kinds of node whose act the log must record (an electorate or a body is a fact, not an act).
LOGGED_KINDS = frozenset(
    {
        "vote",
        "seat",
        "election",
        "bulletin",
        "apportionment",
        "referral",
        "motion",
        "executive-decision",
        "executive",
        "call-in",
    }
)


def page(name: str, **kwargs: Any) -> str:
    """The URL of a page, or "" where the page is not served (the node is still shown, unlinked)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def provenance_page_url(slug: str, kind: str, decision_id: int) -> str:
    return page("provenance:decision", slug=slug, kind=kind, decision_id=decision_id)
