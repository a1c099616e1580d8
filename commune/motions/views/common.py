"""What the pages of motions share: who acts, and how a motion is found and returned to."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.models import Member, Organisation
from commune.motions.access import (
    access_motion,
)
from commune.motions.forms import PutForm
from commune.motions.models import Motion

DECIDED_PER_PAGE = 30


#: A council votes in session, so a question put to it stays open for the sitting, not for days.
COUNCIL_VOTE_MINUTES = 60


def actor_of(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _motion(request: HttpRequest, organisation: Organisation, motion_id: int) -> Motion:
    return access_motion(request_person(request), organisation, motion_id)


def _to_motion(organisation: Organisation, motion_id: int) -> HttpResponse:
    return redirect("motions:detail", slug=organisation.slug, motion_id=motion_id)


def _closes_at(request: HttpRequest) -> timedelta | None:
    form = PutForm(request.POST)
    return timedelta(minutes=form.cleaned_data["minutes"]) if form.is_valid() else None
