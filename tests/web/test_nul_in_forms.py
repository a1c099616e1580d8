"""A NUL character posted in a page's form is that field's error: the page shows its form again, the error
on the field that held it and everything else typed kept, rather than a refusal page. Proved by walking
every form of the web app, each field in turn, and on pages end to end. (The REST API still answers 422:
``tests/api/test_nul_bytes.py``.)"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.test import Client
from django.urls import reverse

import commune
from commune.motions.models import Motion
from commune.web.forms import NUL_FIELD_ERROR
from tests.conftest import PASSWORD, SmallFederation

pytestmark = pytest.mark.django_db

#: What a form needs beyond its data, for the forms whose choices are given when they are made.
EXTRA: dict[str, dict[str, Any]] = {
    "RankingForm": {
        "candidates": [SimpleNamespace(pk=1, ballot_label="Ana"), SimpleNamespace(pk=2, ballot_label="Bo")]
    },
    "AmendmentForm": {"bodies": [("CONGRESS", "Congress")], "rules": [("sessions", "Sessions")]},
    "MandateForm": {"constituencies": [("D0-U0", "Unit 0")]},
    "RecallOpenForm": {"seats": [(1, "Seat")]},
    "OfficePayForm": {"offices": [("1", "Secretary")]},
    "PaperReadingForm": {
        "candidates": [SimpleNamespace(pk=1, ballot_label="Ana"), SimpleNamespace(pk=2, ballot_label="Bo")],
        "reasons": [("invalid", "Rejected")],
    },
}


def _web_forms() -> list[type[forms.BaseForm]]:
    """Every form class the web app defines: its forms and views modules imported, Django's form classes
    walked."""
    for module in pkgutil.walk_packages(commune.__path__, "commune."):
        parts = module.name.split(".")
        if any(part in ("forms", "views") or part.endswith("_views") for part in parts[2:]):
            importlib.import_module(module.name)

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = {cls for cls in subclasses(forms.BaseForm) if cls.__module__.startswith("commune.")}
    # The admin's own forms are Django's pages, guarded at the edge (``commune.web.middleware``).
    return sorted((cls for cls in found if ".admin" not in cls.__module__), key=lambda c: c.__qualname__)


WEB_FORMS = _web_forms()


def _form(cls: type[forms.BaseForm], data: dict[str, Any] | None) -> forms.BaseForm:
    extra = EXTRA.get(cls.__name__, {})
    if issubclass(cls, AuthenticationForm):
        return cls(request=None, data=data, **extra)
    return cls(data, **extra)


#: Fields whose posted value is never text: a checkbox is read as on or off whatever was sent, and a file's
#: bytes are data (``commune.federation.roll`` reads them as such).
NOT_TEXT = (forms.BooleanField, forms.FileField)


def _cases() -> Iterator[tuple[type[forms.BaseForm], str]]:
    for cls in WEB_FORMS:
        for name, field in _form(cls, None).fields.items():
            if not isinstance(field, NOT_TEXT):
                yield cls, name


def test_the_walk_finds_the_forms_of_every_app() -> None:
    """The walk reaches the forms of each app that has pages with forms."""
    apps = {cls.__module__.split(".")[1] for cls in WEB_FORMS}
    assert {
        "accounts",
        "elections",
        "federation",
        "governance",
        "mandates",
        "membership",
        "motions",
        "recall",
    } <= apps
    assert len(WEB_FORMS) >= 18


@pytest.mark.parametrize(("cls", "name"), list(_cases()), ids=lambda v: getattr(v, "__qualname__", v))
def test_a_nul_in_any_field_of_any_form_is_that_fields_error(cls: type[forms.BaseForm], name: str) -> None:
    """Whatever its kind (text, choice, number, file name), a field holding a NUL has that as its error, and
    the other fields keep what was typed in them."""
    form = _form(cls, None)
    data = {other: "kept" for other in form.fields if other != name}
    data[name] = "before\x00after"
    form = _form(cls, data)
    assert not form.is_valid()
    assert form.errors[name] == [NUL_FIELD_ERROR]
    assert name not in form.cleaned_data
    for other in form.fields:
        if other != name and not isinstance(form.fields[other], NOT_TEXT):
            assert form[other].value() == "kept", other


def _signed_in(federation: SmallFederation) -> Client:
    client = Client()
    assert client.login(username=federation.member.email, password=PASSWORD)
    return client


def test_a_page_shows_its_form_again_with_the_error_on_the_field(federation: SmallFederation) -> None:
    """Moving a motion with a NUL in its text: the form comes back with the error beside the text and the
    title still typed in; no motion is moved."""
    client = _signed_in(federation)
    url = reverse("motions:move", kwargs={"slug": federation.org.slug, "code": federation.units[0].code})
    response = client.post(url, {"title": "Heating in the depot", "text": "Fix\x00 it."})
    page = unescape(response.content.decode())
    assert response.status_code in (200, 400)
    assert NUL_FIELD_ERROR in page
    assert 'value="Heating in the depot"' in page
    assert "This could not be sent" not in page
    assert not Motion.objects.filter(title="Heating in the depot").exists()


def test_the_token_form_shows_the_error_on_its_name(federation: SmallFederation) -> None:
    """The API token form comes back with the error on the token's name, not a refusal page."""
    client = _signed_in(federation)
    response = client.post(reverse("accounts:token_create"), {"name": "laptop\x00"})
    page = unescape(response.content.decode())
    assert NUL_FIELD_ERROR in page
    assert "This could not be sent" not in page


def test_signing_in_with_a_nul_shows_the_sign_in_form_again(federation: SmallFederation) -> None:
    """A NUL in the password: the sign-in form again with the error on the password, the address kept."""
    response = Client().post(
        reverse("accounts:login"), {"username": federation.member.email, "password": "a\x00"}
    )
    page = unescape(response.content.decode())
    assert NUL_FIELD_ERROR in page
    assert federation.member.email in page
