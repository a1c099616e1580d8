"""The provenance of a structural change: what it did, and beneath it the decision it rests on — the
council's vote on the motion carrying it (or the members' referendum), the delegates who cast it, the
elections that seated them and the constituencies that elected them."""

from __future__ import annotations

from commune.provenance.selectors.tree import Provenance, ProvenanceNode, page
from commune.structure.models import ChangeStatus, StructuralChange


def _summary(change: StructuralChange) -> str:
    outcome = change.outcome or {}
    if change.status != ChangeStatus.APPLIED:
        return f"{change.get_status_display()}: moved in {change.council.name} as motion {change.motion_id}"
    parts = [
        f"applied by decision of {change.council.name} ({(outcome.get('decided') or {}).get('why', '')})",
        f"{len(outcome.get('members_moved') or {})} members moved with their workplace",
    ]
    parts += [f"unit {code} created" for code in outcome.get("bodies_created") or []]
    parts += [f"unit {code} ceased" for code in outcome.get("bodies_dissolved") or []]
    parts += [
        f"unit {m['unit']} moved from {m['from']} to {m['to']}" for m in outcome.get("bodies_moved") or []
    ]
    parts += [f"seats of {code} apportioned again" for code in outcome.get("apportionments") or {}]
    called = outcome.get("elections_called") or []
    if called:
        parts.append(f"{len(called)} election{'s' * (len(called) != 1)} of delegates called")
    return "; ".join(parts)


def structural_change_provenance(*, change: StructuralChange) -> Provenance:
    from commune.provenance.selectors.decisions import motion_provenance_tree

    slug = change.organisation.slug
    decision = motion_provenance_tree(motion=change.motion).root
    root = ProvenanceNode(
        kind="structural-change",
        id=change.pk,
        title=f"#{change.pk}: {change.get_kind_display().lower()}",
        summary=_summary(change),
        url=page("structure:change", slug=slug, change_id=change.pk),
        facts={"status": change.status, "council": change.council.code},
        children=[decision],
    )
    if change.status == ChangeStatus.NOT_ADOPTED:
        root.gap = "the decision went against it: nothing was changed"
    return Provenance(change.organisation, "structural-change", root)
