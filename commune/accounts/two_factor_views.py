"""Two-factor sign-in: setting up an authenticator app, and the second step of signing in.

Any member may turn it on: a secret shown as a QR code (and as text) goes into an authenticator app, a code
from the app confirms it, and ten single-use recovery codes are shown once. From then on signing in asks for
a code after the password. An organisation's constitution may require it of its officers
(``accounts.officers_two_factor``): an officer signed in without it finds every organisation page sends them
here until it is set up (``commune.web.middleware.TwoFactorRequiredMiddleware``).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from commune.accounts.access import request_address, request_person
from commune.accounts.models import User
from commune.accounts.selectors import recovery_codes_left, two_factor_enabled, two_factor_required
from commune.accounts.services import (
    sign_in_failed,
    sign_in_keys,
    sign_in_succeeded,
    sign_in_wait,
    two_factor_begin,
    two_factor_check,
    two_factor_confirm,
    two_factor_disable,
)
from commune.web.forms import Form

#: The person whose password was right, waiting for their code: ``{"user", "next", "at"}``.
PENDING = "commune_two_factor_pending"
#: This session passed the second factor (at sign-in, or by setting it up).
VERIFIED = "commune_two_factor_verified"
#: This person must pass a second factor before any organisation page (their constitution says so).
REQUIRED = "commune_two_factor_required"
#: How long the code may take after the password.
PENDING_FOR = timedelta(minutes=5)
BACKEND = "django.contrib.auth.backends.ModelBackend"


class CodeForm(Form):
    code = forms.CharField(
        max_length=40,
        strip=True,
        label=gettext_lazy("Code"),
        help_text=gettext_lazy(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _wait_words(seconds: int, locked: bool) -> str:
    if locked:
        minutes = -(-seconds // 60)
        return ngettext(
            "Too many wrong codes: signing in is locked for %(minutes)s minute.",
            "Too many wrong codes: signing in is locked for %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "Too many wrong codes: wait %(seconds)s second before trying again.",
        "Too many wrong codes: wait %(seconds)s seconds before trying again.",
        seconds,
    ) % {"seconds": seconds}


def two_factor_sign_in_start(request: HttpRequest, user: User, next_url: str) -> HttpResponse | None:
    """After a right password: ask for the code if the person uses a second factor (``None`` if not)."""
    if not two_factor_enabled(user=user):
        return None
    request.session[PENDING] = {"user": user.pk, "next": next_url, "at": timezone.now().isoformat()}
    return redirect("accounts:login_code")


def two_factor_signed_in(request: HttpRequest, user: User, *, verified: bool) -> None:
    """Note on the new session whether it passed a second factor and whether the person must."""
    request.session[VERIFIED] = verified
    request.session[REQUIRED] = two_factor_required(person_id=user.pk)


def _pending_user(request: HttpRequest) -> tuple[User, str] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if timezone.now() - datetime.fromisoformat(pending["at"]) > PENDING_FOR:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, str(pending["next"])) if user is not None else None


@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the app, or a recovery code."""
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("Sign in with your password first."))
        return redirect("accounts:login")
    user, next_url = found
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        keys = sign_in_keys(code=str(user.pk), address=request_address(request))
        wait = sign_in_wait(keys=keys)
        if wait is not None:
            form.add_error(None, _wait_words(wait.seconds, wait.locked))
            status = 429
        elif two_factor_check(user=user, code=form.cleaned_data["code"]):
            sign_in_succeeded(keys=keys)
            del request.session[PENDING]
            auth_login(request, user, backend=BACKEND)
            two_factor_signed_in(request, user, verified=True)
            return redirect(next_url)
        else:
            sign_in_failed(keys=keys)
            form.add_error(
                "code", _("That code is not right, or was already used. Try the code the app shows now.")
            )
            status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


def _secret_page(request: HttpRequest, device: TOTPDevice, form: CodeForm, status: int = 200) -> HttpResponse:
    secret = base64.b32encode(device.bin_key).decode()
    context: dict[str, Any] = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@require_GET
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Whether two-factor sign-in is on, and the way to turn it on or off."""
    user = request_person(request)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": two_factor_enabled(user=user),
            "required": bool(request.session.get(REQUIRED)),
            "codes_left": recovery_codes_left(user=user),
            "form": CodeForm(),
        },
    )


@require_POST
@login_required
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """A new secret to put into the app, and the form for the code that confirms it."""
    return _secret_page(request, two_factor_begin(user=request_person(request)), CodeForm())


@require_POST
@login_required
@never_cache
def two_factor_confirm_view(request: HttpRequest) -> HttpResponse:
    """Confirm the app with its code: two-factor sign-in is on, and the recovery codes are shown once."""
    user = request_person(request)
    form = CodeForm(request.POST)
    codes = two_factor_confirm(user=user, code=form.cleaned_data["code"]) if form.is_valid() else None
    if codes is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
        if device is None:
            return redirect("accounts:two_factor")
        if form.is_valid():
            form.add_error(
                "code", _("That code does not match: check the app shows Commune and try its current code.")
            )
        return _secret_page(request, device, form, status=400)
    request.session[VERIFIED] = True
    return render(request, "accounts/two_factor_codes.html", {"codes": codes})


@require_POST
@login_required
def two_factor_disable_view(request: HttpRequest) -> HttpResponse:
    """Turn it off, with a current code: not possible while the constitution requires it of the person."""
    user = request_person(request)
    if two_factor_required(person_id=user.pk):
        messages.error(
            request, _("Your organisation's constitution requires officers to sign in with a second factor.")
        )
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST)
    if not (form.is_valid() and two_factor_check(user=user, code=form.cleaned_data["code"])):
        messages.error(request, _("That code is not right: two-factor sign-in is still on."))
        return redirect("accounts:two_factor")
    two_factor_disable(user=user)
    messages.success(request, _("Two-factor sign-in is off: signing in asks for your password only."))
    return redirect("accounts:two_factor")
