"""Operator maintenance in Django admin, recorded in the provenance log like every other act.

Instance operators (``is_staff``) keep the admin site for repairs. They hold no power inside any
organisation, so whatever they change in an organisation's data must be as visible to its members as a
council's decision: ``ProvenanceAdminMixin`` writes a log entry, in the same transaction as the change,
naming the operator, the object and each changed field with its old and new value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from commune.audit.models import LogEntry
from commune.audit.services import Actor, log_entry_record

if TYPE_CHECKING:
    from commune.federation.models import Organisation

#: Never written into the log: secrets, and email addresses (every member reads the log).
REDACTED_FIELDS = {"password", "digest", "email"}


def _plain(value: Any) -> Any:
    """A value the log can hold as JSON: model instances as their label, collections item by item."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        return [_plain(v) for v in value]
    return str(value)


def operator_actor(request: HttpRequest) -> Actor:
    user = request.user
    name = getattr(user, "name", "") or getattr(user, "email", "") or str(user)
    return Actor(user.pk, f"operator {name} (admin)")


class ProvenanceAdminMixin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Log every admin add, change and delete to the provenance log of the organisation(s) concerned.

    A ``ModelAdmin`` itself, so it combines with other admin classes (such as Django's ``UserAdmin``).
    Subclasses say which organisations an object belongs to (``log_organisations``) and, where there is
    one, which body it concerns (``log_body_id``).
    """

    def log_organisations(self, obj: Any) -> list[Organisation]:
        raise NotImplementedError

    def log_body_id(self, obj: Any) -> int | None:
        return None

    def _values(self, obj: Any, names: Iterable[str]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in names:
            if name in REDACTED_FIELDS:
                values[name] = "(not recorded)"
                continue
            try:
                field = obj._meta.get_field(name)
            except Exception:  # a form-only field: nothing stored to compare
                continue
            if field.many_to_many:
                values[name] = _plain(getattr(obj, name).all()) if obj.pk else []
            elif field.is_relation:
                values[name] = _plain(getattr(obj, name))
            else:
                values[name] = _plain(field.value_from_object(obj))
        return values

    def _record(
        self,
        request: HttpRequest,
        obj: Any,
        verb: str,
        fields: dict[str, Any],
        seen: tuple[list[Organisation], int | None, Any, str] | None = None,
    ) -> None:
        """``seen``: the organisations, body, id and label of an object read before it was deleted."""
        organisations, body_id, object_id, text = seen or (
            self.log_organisations(obj),
            self.log_body_id(obj),
            obj.pk,
            str(obj),
        )
        label = f"{obj._meta.verbose_name} {text}"
        actor = operator_actor(request)
        changed = f": {', '.join(fields)}" if fields and verb == "changed" else ""
        for organisation in organisations:
            log_entry_record(
                organisation=organisation,
                action=f"admin.{verb}",
                body_id=body_id,
                actor=actor,
                summary=f"{actor.label} {verb} {label}{changed}"[:500],
                payload={
                    "model": obj._meta.label_lower,
                    "object_id": object_id,
                    "object": text,
                    "fields": fields,
                },
            )

    def _seen(self, obj: Any) -> tuple[list[Organisation], int | None, Any, str]:
        return self.log_organisations(obj), self.log_body_id(obj), obj.pk, str(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            names = list(form.changed_data)
            before = self._values(type(obj)._default_manager.get(pk=obj.pk), names) if change else {}
            super().save_model(request, obj, form, change)
            after = self._values(obj, names)
            # Many-to-many values are saved after save_model; the form holds what they will be.
            for name in names:
                if name in after and isinstance(after[name], list) and name in form.cleaned_data:
                    after[name] = _plain(form.cleaned_data[name])
            if change:
                fields = {
                    n: {"from": before.get(n), "to": after[n]}
                    for n in after
                    if before.get(n) != after[n] or n in REDACTED_FIELDS  # changed, values not recorded
                }
                if fields:
                    self._record(request, obj, "changed", fields)
            else:
                self._record(request, obj, "added", after)

    # The entry is written after the row goes, so that it carries the deletion (commune.audit.capture).
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            seen = self._seen(obj)
            super().delete_model(request, obj)
            self._record(request, obj, "deleted", {}, seen)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            objects = [(obj, self._seen(obj)) for obj in queryset]
            super().delete_queryset(request, queryset)
            for obj, seen in objects:
                self._record(request, obj, "deleted", {}, seen)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Viewable by operators, never written through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "organisation", "recorded_at", "action", "actor_label", "summary"]
    list_filter = ["organisation", "action"]
    search_fields = ["summary", "actor_label", "action"]
    ordering = ["organisation", "-seq"]
    list_select_related = ["organisation"]
