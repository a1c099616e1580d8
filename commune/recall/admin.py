"""Operator admin for recall: read-only.

No one but the electorate can stop a recall, an instance operator included, so the admin shows petitions
and ballots and changes nothing. Signatures are listed only as their keyed digests; the recall ballot's
register (who voted) and box (what was voted) are not shown at all, as the elections' are not.
"""

from __future__ import annotations

from django.contrib import admin

from commune.audit.admin import ReadOnlyAdmin
from commune.recall.models import RecallBallot, RecallPetition, RecallSignature


@admin.register(RecallPetition)
class RecallPetitionAdmin(ReadOnlyAdmin):
    list_display = ["id", "organisation", "holder", "status", "signatures", "signatures_required", "deadline"]
    list_filter = ["organisation", "status"]
    search_fields = ["holder__number", "holder__person__name"]
    list_select_related = ["organisation", "holder"]


@admin.register(RecallBallot)
class RecallBallotAdmin(ReadOnlyAdmin):
    list_display = ["petition", "opened_at", "closes_at", "closed_at", "yes", "no", "abstain", "carried"]
    list_select_related = ["petition"]


@admin.register(RecallSignature)
class RecallSignatureAdmin(ReadOnlyAdmin):
    list_display = ["petition", "signer_key"]
    list_select_related = ["petition"]
