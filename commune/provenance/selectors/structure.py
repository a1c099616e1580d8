"""The provenance of a structural change: what it did, and beneath it the decision it rests on — the
council's vote on the motion carrying it (or the members' referendum), the delegates who cast it, the
elections that seated them and the constituencies that elected them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commune.provenance.selectors.tree import Provenance, ProvenanceNode, page
from commune.structure.models import ChangeStatus, StructuralChange


def _summary(change: StructuralChange) -> str:
    outcome = change.outcome or {}
    if change.status != ChangeStatus.APPLIED:
        return _("%(status)s: moved in %(council)s as motion %(motion)s") % {
            "status": change.get_status_display(),
            "council": change.council.name,
            "motion": change.motion_id,
        }
    moved = len(outcome.get("members_moved") or {})
    parts = [
        _("applied by decision of %(council)s (%(why)s)")
        % {"council": change.council.name, "why": (outcome.get("decided") or {}).get("why", "")},
        ngettext(
            "%(count)s member moved with their workplace",
            "%(count)s members moved with their workplace",
            moved,
        )
        % {"count": moved},
    ]
    parts += [_("unit %(code)s created") % {"code": code} for code in outcome.get("bodies_created") or []]
    parts += [_("unit %(code)s ceased") % {"code": code} for code in outcome.get("bodies_dissolved") or []]
    parts += [
        _("unit %(unit)s moved from %(from)s to %(to)s")
        % {"unit": m["unit"], "from": m["from"], "to": m["to"]}
        for m in outcome.get("bodies_moved") or []
    ]
    parts += [
        _("seats of %(code)s apportioned again") % {"code": code}
        for code in outcome.get("apportionments") or {}
    ]
    called = outcome.get("elections_called") or []
    if called:
        parts.append(
            ngettext(
                "%(count)s election of delegates called",
                "%(count)s elections of delegates called",
                len(called),
            )
            % {"count": len(called)}
        )
    return "; ".join(parts)


def structural_change_provenance(*, change: StructuralChange) -> Provenance:
    from commune.provenance.selectors.decisions import motion_provenance_tree

    slug = change.organisation.slug
    decision = motion_provenance_tree(motion=change.motion).root
    root = ProvenanceNode(
        kind="structural-change",
        id=change.pk,
        title=_("#%(number)s: %(kind)s") % {"number": change.pk, "kind": change.get_kind_display().lower()},
        summary=_summary(change),
        url=page("structure:change", slug=slug, change_id=change.pk),
        facts={"status": change.status, "council": change.council.code},
        children=[decision],
    )
    if change.status == ChangeStatus.NOT_ADOPTED:
        root.gap = _("the decision went against it: nothing was changed")
    return Provenance(change.organisation, "structural-change", root)
