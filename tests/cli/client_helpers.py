"""Running the member-facing commands in-process against a live server, as one member with their token."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from commune.accounts.models import User
from commune.accounts.services import api_token_create
from commune.cli.main import main as commune_main


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class Member:
    """``commune ...`` as one person: their own token, the live server, and the organisation."""

    server: str
    token: str
    org: str | None
    capsys: pytest.CaptureFixture[str]

    def __call__(self, *argv: object) -> Ran:
        args = [str(a) for a in argv]
        args += ["--server", self.server, "--token", self.token]
        if self.org is not None:
            args += ["--org", self.org]
        self.capsys.readouterr()
        code = commune_main(args)
        captured = self.capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    def ok(self, *argv: object) -> Ran:
        ran = self(*argv)
        assert ran.code == 0, (argv, ran.out, ran.err)
        return ran


def as_member_factory(server: str, capsys: pytest.CaptureFixture[str]) -> Callable[..., Member]:
    def as_member(user: User, org: str | None = None) -> Member:
        return Member(server, api_token_create(user=user, name="cli")[1], org, capsys)

    return as_member
