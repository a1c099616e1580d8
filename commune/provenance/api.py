"""API: the provenance of a decision as a nested tree.

``GET /api/orgs/{slug}/decisions/{kind}/{id}/provenance`` where ``kind`` is ``vote``, ``motion``,
``referral``, ``election``, ``executive-decision`` or ``structural-change``. Each node carries its page (``url``), the provenance log entry that recorded
it (``log``: position ``seq`` and ``hash``) and its ``children``: the links it stands on. ``complete`` is
false, and ``gaps`` says why, when any link the chain needs is missing.
"""

# No postponed annotations here: ninja reads the schemas' self-reference at runtime.

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from commune.accounts.access import request_person
from commune.federation.access import access_organisation
from commune.provenance.access import access_decision
from commune.provenance.selectors import ProvenanceNode, decision_provenance

router = Router(tags=["provenance"])


class LogRefOut(Schema):
    seq: int
    hash: str
    action: str
    recorded_at: str


class NodeOut(Schema):
    kind: str
    id: int | None
    title: str
    summary: str
    url: str
    provenance_url: str
    facts: dict[str, Any]
    log: LogRefOut | None
    gap: str
    children: list["NodeOut"]


class ProvenanceOut(Schema):
    kind: str
    complete: bool
    gaps: list[str]
    root: NodeOut


def _node(node: ProvenanceNode) -> dict[str, Any]:
    return {
        "kind": node.kind,
        "id": node.id,
        "title": node.title,
        "summary": node.summary,
        "url": node.url,
        "provenance_url": node.provenance_url,
        "facts": node.facts,
        "log": node.log.__dict__ if node.log else None,
        "gap": node.gap,
        "children": [_node(child) for child in node.children],
    }


@router.get(
    "/orgs/{slug}/decisions/{kind}/{decision_id}/provenance",
    response=ProvenanceOut,
    summary="The provenance of a decision, back to the elections and constituencies behind it",
)
def decision_provenance_read(request: HttpRequest, slug: str, kind: str, decision_id: int) -> dict[str, Any]:
    user = request_person(request)
    organisation, _ = access_organisation(user, slug)
    decision = access_decision(user, organisation, kind, decision_id)
    provenance = decision_provenance(kind=kind, decision=decision)
    return {
        "kind": provenance.kind,
        "complete": provenance.complete,
        "gaps": provenance.gaps,
        "root": _node(provenance.root),
    }
