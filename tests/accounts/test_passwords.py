"""Passwords are stored with Argon2 in production."""

from __future__ import annotations

import importlib


def test_production_settings_hash_passwords_with_argon2() -> None:
    settings_module = importlib.import_module("config.settings")
    assert settings_module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hashes_and_checks() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("a long passphrase", hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify("a long passphrase", encoded)
    assert not hasher.verify("a wrong passphrase", encoded)
