"""Operator admin for federation data. Every write is logged (see ``commune.audit.admin``).

Seats and offices are conferred only by elections and bodies are created by founding, so the admin adds
none of them; it corrects what exists. Fields that the services keep consistent (tree paths, member
counts, the unit a member is in) are shown but not editable here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commune.audit.admin import ProvenanceAdminMixin, ReadOnlyAdmin
from commune.federation.models import (
    Body,
    ConstitutionVersion,
    Delegation,
    Member,
    Membership,
    Office,
    OfficeTerm,
    Organisation,
)


class _NoAdd:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(_NoAdd, ProvenanceAdminMixin):
    list_display = ["name", "slug", "founded_at"]
    search_fields = ["name", "slug"]
    readonly_fields = ["founded_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an organisation's record is permanent

    def log_organisations(self, obj: Organisation) -> list[Organisation]:
        return [obj]


@admin.register(Body)
class BodyAdmin(_NoAdd, ProvenanceAdminMixin):
    list_display = ["code", "name", "kind", "organisation", "parent", "member_count"]
    list_filter = ["organisation", "kind"]
    search_fields = ["code", "name"]
    # The shape changes only by a structural decision (commune.structure), never here.
    readonly_fields = [
        "organisation",
        "kind",
        "parent",
        "depth",
        "path",
        "member_count",
        "dissolved_at",
        "dissolved_by",
    ]
    list_select_related = ["organisation", "parent"]

    def log_organisations(self, obj: Body) -> list[Organisation]:
        return [obj.organisation]

    def log_body_id(self, obj: Body) -> int | None:
        return obj.pk


@admin.register(Member)
class MemberAdmin(_NoAdd, ProvenanceAdminMixin):
    list_display = ["number", "person", "organisation", "current_unit", "wage_band"]
    list_filter = ["organisation"]
    search_fields = ["number", "person__name", "person__email"]
    readonly_fields = ["organisation", "person", "current_unit"]
    list_select_related = ["person", "organisation", "current_unit"]

    def log_organisations(self, obj: Member) -> list[Organisation]:
        return [obj.organisation]

    def log_body_id(self, obj: Member) -> int | None:
        return obj.current_unit_id


@admin.register(Membership)
class MembershipAdmin(_NoAdd, ProvenanceAdminMixin):
    list_display = ["member", "unit", "started_at", "ended_at", "end_reason"]
    list_filter = ["unit__organisation", "end_reason"]
    search_fields = ["member__number", "member__person__name"]
    readonly_fields = ["member", "unit"]
    list_select_related = ["member", "unit"]

    def log_organisations(self, obj: Membership) -> list[Organisation]:
        return [obj.unit.organisation]

    def log_body_id(self, obj: Membership) -> int | None:
        return obj.unit_id


@admin.register(Delegation)
class DelegationAdmin(_NoAdd, ProvenanceAdminMixin):
    """Seats come only from election results and end only by the constituency's recall, the end of the
    term or the member leaving: no operator refuses, suspends, replaces or unseats a delegate here."""

    list_display = ["member", "council", "constituency", "term_start", "term_end", "ended_at", "source"]
    list_filter = ["council__organisation", "council"]
    search_fields = ["member__number", "member__person__name", "source"]
    readonly_fields = ["council", "constituency", "member"]
    list_select_related = ["member__person", "council", "constituency"]

    def log_organisations(self, obj: Delegation) -> list[Organisation]:
        return [obj.council.organisation]

    def log_body_id(self, obj: Delegation) -> int | None:
        return obj.council_id

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Office)
class OfficeAdmin(ProvenanceAdminMixin):
    list_display = ["title", "body", "manages_roll"]
    list_filter = ["body__organisation", "manages_roll"]
    search_fields = ["title", "body__code", "body__name"]
    list_select_related = ["body"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["body"] if obj is not None else []

    def log_organisations(self, obj: Office) -> list[Organisation]:
        return [obj.body.organisation]

    def log_body_id(self, obj: Office) -> int | None:
        return obj.body_id


@admin.register(OfficeTerm)
class OfficeTermAdmin(_NoAdd, ProvenanceAdminMixin):
    list_display = ["office", "member", "term_start", "term_end", "ended_at", "source"]
    list_filter = ["office__body__organisation"]
    search_fields = ["office__title", "member__number", "member__person__name"]
    readonly_fields = ["office", "member"]
    list_select_related = ["office__body", "member__person"]

    def log_organisations(self, obj: OfficeTerm) -> list[Organisation]:
        return [obj.office.body.organisation]

    def log_body_id(self, obj: OfficeTerm) -> int | None:
        return obj.office.body_id


@admin.register(ConstitutionVersion)
class ConstitutionVersionAdmin(ReadOnlyAdmin):
    """Constitutions change only by a vote of the membership, never by an operator."""

    list_display = ["organisation", "number", "adopted_at", "adopted_by"]
    list_filter = ["organisation"]
