"""The member-facing commands' failures: a refused token, no server, bad usage; and no Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from commune.cli.main import main as commune_main
from tests.cli.client_helpers import as_member_factory
from tests.conftest import build_federation

# Nothing listens on the discard port on a test machine: connecting is refused at once.
NO_SERVER = "http://127.0.0.1:9"


def test_a_bad_token_is_refused_with_the_apis_message(
    live_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown token ends with exit 1 and the API's own explanation on stderr, for every command."""
    for argv in (["motion", "list", "--body", "D0-U0"], ["recall", "list"], ["notifications"]):
        code = commune_main([*argv, "--server", live_server.url, "--token", "cmn_not-a-token", "--org", "tf"])
        captured = capsys.readouterr()
        assert code == 1 and captured.out == ""
        assert "the API token is not valid: it is unknown or was revoked" in captured.err


def test_the_organisation_defaults_to_the_callers_only_one_and_json_parses(
    live_server: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --org the caller's only organisation is used; the token can come from a file or the
    environment; --json prints the API's JSON. A member of two organisations must choose."""
    fed = build_federation()
    as_member = as_member_factory(live_server.url, capsys)
    member = as_member(fed.member)
    token_file = tmp_path / "token"
    token_file.write_text(member.token + "\n")
    monkeypatch.setenv("COMMUNE_SERVER", live_server.url)
    code = commune_main(["recall", "list", "--token-file", str(token_file), "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out) == []
    monkeypatch.setenv("COMMUNE_TOKEN", member.token)
    assert commune_main(["notifications", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"items": [], "count": 0}
    assert commune_main(["motion", "list"]) == 0
    assert "no motions before D0-U0" in capsys.readouterr().out

    from commune.federation.services import member_admit

    other = build_federation(units_per_district=1, members_per_unit=3, slug="other")
    member_admit(unit=other.units[0], person=fed.member, number="OTHER99")
    assert commune_main(["recall", "list"]) == 2
    err = capsys.readouterr().err
    assert "you are a member of several organisations" in err and "--org" in err
    assert commune_main(["recall", "list", "--org", "other", "--json"]) == 0


def test_no_server_and_bad_usage_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unreachable server, a missing token and an unknown choice are usage errors: exit 2."""
    monkeypatch.delenv("COMMUNE_TOKEN", raising=False)
    code = commune_main(["motion", "show", "1", "--server", NO_SERVER, "--token", "cmn_x", "--org", "tf"])
    assert code == 2 and "cannot reach the Commune server at http://127.0.0.1:9" in capsys.readouterr().err
    assert commune_main(["recall", "list", "--server", NO_SERVER]) == 2
    assert "no API token" in capsys.readouterr().err
    assert commune_main(["motion", "vote", "1", "maybe", "--token", "cmn_x"]) == 2
    assert commune_main(["mandate"]) == 2


def test_the_client_commands_never_import_django() -> None:
    """The client commands are plain HTTP: they load no Django (an operator's settings give them nothing)."""
    code = (
        "import sys\n"
        "from commune.cli.main import main\n"
        "for argv in (['motion', 'list'], ['mandate', 'compliance', 'X'], ['recall', 'list'], ['notifications']):\n"
        f"    assert main([*argv, '--server', {NO_SERVER!r}, '--token', 'cmn_x', '--org', 'tf']) == 2\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("cannot reach the Commune server") == 4
