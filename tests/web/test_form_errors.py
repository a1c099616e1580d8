"""A refusal of a field is linked to it: the field is marked invalid and described by the message, which a
screen reader then reads with it (docs/accessibility.md)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client

from tests.described import unlinked_errors

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    name = forms.CharField(help_text="As members know you.")
    email = forms.EmailField()
    note = forms.CharField(required=False)


def test_the_shared_form_fields_link_each_error_and_help_to_its_field() -> None:
    """``web/form_fields.html``: a refused field says aria-invalid and is described by its help and by its
    error, each an element of the page; a field that is fine is not marked invalid."""
    form = _Form(data={"name": "", "email": "not-an-address", "note": "fine"})
    assert not form.is_valid()
    page = render_to_string("web/form_fields.html", {"form": form})
    assert unlinked_errors(page) == []
    name = re.search(r'<input[^>]*name="name"[^>]*>', page)
    assert name is not None and 'aria-invalid="true"' in name.group(0)
    assert 'aria-describedby="id_name_helptext id_name_error"' in name.group(0)
    assert re.search(r'<span class="error" id="id_email_error">[^<]*valid email', page)
    note = re.search(r'<input[^>]*name="note"[^>]*>', page)
    assert note is not None and "aria-invalid" not in note.group(0)


def test_the_sign_in_form_links_a_missing_email_to_its_field(client: Client) -> None:
    """Signing in without an email: the email field is invalid and described by the message saying so."""
    page = client.post("/accounts/login/", {"username": "", "password": "x"}).content.decode()
    assert unlinked_errors(page) == []
    field = re.search(r'<input[^>]*name="username"[^>]*>', page)
    assert field is not None and 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="id_username_error"' in field.group(0)
    assert 'id="id_username_error"' in page
