"""Two-factor sign-in: any member can set up an authenticator app (a QR code or the secret as text, confirmed
with a code) and is given single-use recovery codes; from then on signing in asks for a code after the
password. A constitution can require it of officers (``accounts.officers_two_factor``)."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from commune.accounts.models import User
from commune.accounts.services import SIGN_IN_LIMITS
from commune.federation.constitution import ConstitutionError, rules_validate
from commune.federation.constitution_words import rule_label
from commune.federation.models import ConstitutionVersion
from tests.conftest import PASSWORD, SmallFederation
from tests.records import recorded_update


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _fresh_code(user: User) -> str:
    """A code the app would show next time: a code is accepted once only, so tests that sign in twice
    within 30 seconds let the device forget the last one it accepted."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return _code(device)


def _signed_in_client(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrol(client: Client, user: User) -> list[str]:
    """Set up the app through the pages; returns the recovery codes shown."""
    assert b"Set up two-factor sign-in" in client.get("/accounts/two-factor/").content
    page = client.post("/accounts/two-factor/setup/").content.decode()
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert (
        secret is not None and secret.group(1).replace(" ", "") == base64.b32encode(device.bin_key).decode()
    )
    wrong = "000000" if _code(device) != "000000" else "111111"
    assert client.post("/accounts/two-factor/confirm/", {"code": wrong}).status_code == 400
    response = client.post("/accounts/two-factor/confirm/", {"code": _code(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


def test_a_member_sets_up_two_factor_and_gets_recovery_codes(federation: SmallFederation) -> None:
    """Scan or type the secret, confirm with a code: it is on, and ten recovery codes are shown once."""
    user = federation.member
    client = _signed_in_client(user)
    codes = _enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    page = client.get("/accounts/two-factor/").content.decode()
    assert "is <strong>on</strong>" in page and "10 unused recovery codes" in page


def test_signing_in_then_asks_for_the_code(federation: SmallFederation) -> None:
    """The right password alone no longer signs in: the code does, and a wrong code does not."""
    user = federation.member
    _enrol(_signed_in_client(user), user)
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": "/accounts/"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/").status_code == 302  # not signed in yet
    assert client.post("/accounts/login/code/", {"code": "12345x"}).status_code == 400
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/code/", {"code": _fresh_code(user)})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert client.get("/accounts/").status_code == 200


def test_the_code_step_cannot_be_reached_without_the_password(federation: SmallFederation) -> None:
    """A code alone signs nobody in."""
    user = federation.member
    _enrol(_signed_in_client(user), user)
    client = Client()
    response = client.post("/accounts/login/code/", {"code": _fresh_code(user)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(federation: SmallFederation) -> None:
    """Each recovery code works in place of the app's code, once."""
    user = federation.member
    codes = _enrol(_signed_in_client(user), user)
    for expected in (302, 400):
        client = Client()
        client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        assert client.post("/accounts/login/code/", {"code": codes[0]}).status_code == expected


def test_an_app_code_is_accepted_once_only(federation: SmallFederation) -> None:
    """Someone who saw a code being typed cannot use it again."""
    user = federation.member
    _enrol(_signed_in_client(user), user)
    code = _fresh_code(user)
    for expected in (302, 400):
        client = Client()
        client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
        assert client.post("/accounts/login/code/", {"code": code}).status_code == expected


def test_wrong_codes_are_throttled_like_wrong_passwords(federation: SmallFederation) -> None:
    """Guessing six digits is slowed down and then locked, as guessing a password is."""
    user = federation.member
    _enrol(_signed_in_client(user), user)
    client = Client()
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    statuses = [client.post("/accounts/login/code/", {"code": "99999x"}).status_code for _ in range(6)]
    assert statuses[: SIGN_IN_LIMITS["code"].free] == [400] * SIGN_IN_LIMITS["code"].free
    assert 429 in statuses
    response = client.post("/accounts/login/code/", {"code": _fresh_code(user)})
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_a_member_can_turn_it_off_with_a_code(federation: SmallFederation) -> None:
    """Off again with a current code; then the password alone signs in."""
    user = federation.member
    client = _signed_in_client(user)
    _enrol(client, user)
    client.post("/accounts/two-factor/off/", {"code": _fresh_code(user)})
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert "_auth_user_id" in _signed_in_client(user).session


def _require_two_factor_of_officers(federation: SmallFederation) -> None:
    version = ConstitutionVersion.objects.filter(organisation=federation.org).order_by("-number").first()
    assert version is not None
    recorded_update(
        ConstitutionVersion.objects.filter(pk=version.pk),
        rules={**version.rules, "accounts": {"officers_two_factor": True}},
    )


def test_an_officer_must_set_up_two_factor_when_the_constitution_says_so(federation: SmallFederation) -> None:
    """Under ``accounts.officers_two_factor`` an officer's organisation pages send them to set it up; once
    set up they open, and it cannot be turned off. Members who hold no office are not asked."""
    home = f"/o/{federation.org.slug}/"
    officer, member = federation.officer, federation.member
    assert _signed_in_client(officer).get(home).status_code == 200  # the rule is off by default
    _require_two_factor_of_officers(federation)
    client = _signed_in_client(officer)
    response = client.get(home)
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    assert "requires officers" in client.get("/accounts/two-factor/").content.decode()
    _enrol(client, officer)
    assert client.get(home).status_code == 200
    client.post("/accounts/two-factor/off/", {"code": _fresh_code(officer)})
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert _signed_in_client(member).get(home).status_code == 200


def test_the_rule_is_validated_and_worded_like_the_others() -> None:
    """A yes-or-no rule, off unless adopted, refused in any other form, with a name members read."""
    assert rules_validate({}).accounts.officers_two_factor is False
    assert rules_validate({"accounts": {"officers_two_factor": True}}).accounts.officers_two_factor is True
    for bad in ({"officers_two_factor": "sometimes"}, {"officers_two_factor_please": True}):
        with pytest.raises(ConstitutionError, match="accounts"):
            rules_validate({"accounts": bad})
    assert rule_label("accounts.officers_two_factor").startswith("Officers must sign in with a second factor")
