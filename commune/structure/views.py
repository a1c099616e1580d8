"""Pages of structural changes: the list, each change with its decision and what it did, moving one as a
council's motion with a structured form, and applying one its council adopted.

Every current member may read them; what a member may do is decided by the services, whose refusals come
back as form errors or messages with the status the API would give.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import access_body
from commune.federation.models import Member, Organisation
from commune.motions.errors import MotionError
from commune.structure.access import access_change
from commune.structure.errors import StructureError
from commune.structure.forms import ChangeForm
from commune.structure.models import ChangeStatus
from commune.structure.selectors import change_page, changes_of_organisation
from commune.structure.services import structural_change_apply, structural_change_propose
from commune.web.edge import member_page, page_context, refusal, refusal_status


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


@member_page
def changes_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    changes = list(changes_of_organisation(organisation=organisation))
    return render(request, "structure/changes.html", page_context(organisation, member, changes=changes))


@member_page
def change_detail_page(
    request: HttpRequest, organisation: Organisation, member: Member, change_id: int
) -> HttpResponse:
    view = change_page(change=access_change(request_person(request), organisation, change_id))
    return render(request, "structure/change.html", page_context(organisation, member, view=view))


@member_page
@require_POST
def change_apply_page(
    request: HttpRequest, organisation: Organisation, member: Member, change_id: int
) -> HttpResponse:
    change = access_change(request_person(request), organisation, change_id)
    try:
        change = structural_change_apply(change=change, actor=_actor(member))
    except StructureError as exc:
        messages.error(request, refusal(exc))
        view = change_page(change=change)
        return render(
            request,
            "structure/change.html",
            page_context(organisation, member, view=view),
            status=refusal_status(exc),
        )
    if change.status == ChangeStatus.APPLIED:
        messages.success(request, _("The change is made. Its record below says what it did."))
    else:
        messages.info(request, _("The decision went against the change: nothing is changed."))
    return redirect("structure:change", slug=organisation.slug, change_id=change.pk)


@member_page
@require_http_methods(["GET", "POST"])
def change_propose_page(
    request: HttpRequest, organisation: Organisation, member: Member, code: str
) -> HttpResponse:
    """Move a structural change as a motion of this council, which only its delegates may do."""
    council = access_body(request_person(request), organisation, code)
    form = ChangeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                change = structural_change_propose(
                    council=council,
                    member=member,
                    proposal=form.proposal(),
                    title=form.cleaned_data["title"],
                    reason=form.cleaned_data["reason"],
                    actor=_actor(member),
                )
            except (StructureError, MotionError) as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(
                    request,
                    _(
                        "The change is moved in %(council)s as a motion. Nothing changes until the council adopts "
                        "it and it is applied."
                    )
                    % {"council": council.name},
                )
                return redirect("structure:change", slug=organisation.slug, change_id=change.pk)
        else:
            status = 400
    return render(
        request,
        "structure/propose.html",
        page_context(organisation, member, form=form, council=council),
        status=status,
    )
