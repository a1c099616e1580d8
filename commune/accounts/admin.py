"""Operator admin for people and API tokens.

Changes to a person are logged to every organisation they are a member of, since a changed name or
address changes who a member is. Tokens are shown but never issued or altered here: only their owner
can create or revoke them.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm

from commune.accounts.models import ApiToken, User
from commune.audit.admin import ProvenanceAdminMixin, ReadOnlyAdmin
from commune.federation.models import Organisation


class UserCreateForm(BaseUserCreationForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("email", "name")


class UserEditForm(UserChangeForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ProvenanceAdminMixin, DjangoUserAdmin):  # type: ignore[type-arg]
    form = UserEditForm
    add_form = UserCreateForm
    list_display = ["email", "name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        (
            "Instance operator",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)

    def log_organisations(self, obj: User) -> list[Organisation]:
        return list(Organisation.objects.filter(members__person=obj).distinct())


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]  # never the digest
    list_select_related = ["user"]
