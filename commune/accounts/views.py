"""The account page: who I am, where I am a member, and my API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from commune.accounts.access import access_api_token, request_address, request_person
from commune.accounts.models import User
from commune.accounts.personal_data import personal_data_export
from commune.accounts.selectors import api_tokens_active
from commune.accounts.services import (
    SignInWait,
    api_token_create,
    api_token_revoke,
    erasure_request,
    password_changed,
    sign_in_failed,
    sign_in_keys,
    sign_in_succeeded,
    sign_in_wait,
)
from commune.accounts.two_factor_views import two_factor_sign_in_start, two_factor_signed_in
from commune.federation.access import NotFound
from commune.federation.selectors import member_current
from commune.web.forms import Form, RefusesNul


def _wait_message(wait: SignInWait) -> str:
    if wait.locked:
        minutes = -(-wait.seconds // 60)
        return ngettext(
            "Too many wrong passwords: signing in is locked for %(minutes)s minute. "
            "Try again then, or set a new password now with “Forgotten your password?”.",
            "Too many wrong passwords: signing in is locked for %(minutes)s minutes. "
            "Try again then, or set a new password now with “Forgotten your password?”.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "Too many wrong passwords: wait %(seconds)s second before trying again.",
        "Too many wrong passwords: wait %(seconds)s seconds before trying again.",
        wait.seconds,
    ) % {"seconds": wait.seconds}


class EmailAuthenticationForm(RefusesNul, AuthenticationForm):
    """Sign in by email, however the person capitalises it (addresses are stored in lower case).

    Wrong passwords slow down, then lock, further tries for the account typed and for the address they
    come from (``commune.accounts.services.SIGN_IN_LIMITS``). While a try must wait, the password is not
    even checked, and the answer is the same whether the account exists or not."""

    throttled = False

    def clean_username(self) -> str:
        return str(self.cleaned_data.get("username", "")).strip().lower()

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username", ""))
        address = request_address(self.request) if self.request is not None else ""
        keys = sign_in_keys(account=username, address=address)
        wait = sign_in_wait(keys=keys)
        if wait is not None:
            self.throttled = True
            raise forms.ValidationError(_wait_message(wait), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            sign_in_failed(keys=keys)
            raise
        if self.get_user() is not None:  # not when the password never reached the check (empty, or a NUL)
            sign_in_succeeded(keys=keys)
        return cleaned


class FirstPasswordResetForm(RefusesNul, PasswordResetForm):
    """The reset form, which also reaches a person who has no password yet: someone admitted from a roll
    import or an application, whose account waits for them to choose one this way. (Django's own form
    passes over every account without a usable password.)"""

    def get_users(self, email: str) -> Any:
        return User.objects.filter(email=email.strip().lower(), is_active=True)


class LoginView(auth_views.LoginView):
    """The sign-in page; a try that must wait is answered 429 Too Many Requests."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm

    def form_valid(self, form: Any) -> HttpResponse:
        """The password was right: ask for the second factor if the person uses one, else sign in."""
        user = form.get_user()
        second_step = two_factor_sign_in_start(self.request, user, self.get_success_url())
        if second_step is not None:
            return second_step
        response = super().form_valid(form)
        two_factor_signed_in(self.request, user, verified=False)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "throttled", False):
            response.status_code = 429
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password: this session stays signed in, every other one and every API token end."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from an emailed link: every session and every API token of the person ends."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=form.user)
        return response


class TokenForm(Form):
    name = forms.CharField(
        max_length=100,
        strip=True,
        label=gettext_lazy("Name"),
        help_text=gettext_lazy(
            "What the token is for, so you can tell it apart later (e.g. “branch spreadsheet”)."
        ),
    )


class ErasureForm(Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I ask for my personal data to be erased"),
        error_messages={"required": gettext_lazy("Tick the box to ask for erasure.")},
    )
    statement = forms.CharField(
        label=gettext_lazy("Anything the operator should know (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _account_context(user: User, **extra: Any) -> dict[str, Any]:
    member = member_current(person_id=user.pk)
    return {
        "member": member,
        "organisation": member.organisation if member else None,
        "tokens": api_tokens_active(user=user),
        "form": TokenForm(),
        "erasure_form": ErasureForm(),
        "erasure_open": user.erasure_requests.filter(carried_out_at__isnull=True).first(),
        **extra,
    }


@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", _account_context(request_person(request)))


@require_POST
@login_required
@never_cache
def token_create(request: HttpRequest) -> HttpResponse:
    """Issue a token and show it on this response only: it is never stored, so it cannot be shown again."""
    user = request_person(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/account.html", _account_context(user, form=form), status=400)
    token, raw = api_token_create(user=user, name=form.cleaned_data["name"])
    return render(request, "accounts/account.html", _account_context(user, new_token=token, raw_token=raw))


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = access_api_token(request_person(request), token_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    api_token_revoke(token=token)
    messages.success(
        request,
        _("The token “%(name)s” (%(prefix)s…) is revoked and no longer works.")
        % {"name": token.name, "prefix": token.prefix},
    )
    return redirect("accounts:account")


@login_required
@never_cache
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything Commune holds about the reader, downloaded as a JSON file."""
    document = personal_data_export(person=request_person(request))
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="my-commune-data.json"'
    return response


@require_POST
@login_required
def my_erasure_request(request: HttpRequest) -> HttpResponse:
    """Record the reader's request for erasure, for the operator to carry out."""
    user = request_person(request)
    form = ErasureForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/account.html", _account_context(user, erasure_form=form), status=400)
    erasure_request(person=user, statement=form.cleaned_data["statement"])
    messages.success(
        request, _("Your request for erasure is recorded; the operator of this server will carry it out.")
    )
    return redirect("accounts:account")
