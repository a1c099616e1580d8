"""What the member-facing commands share: talking to a Commune server's REST API as one person, and
printing what it answers.

These commands are a REST client, not a back door: each request carries the member's own API token, so
the command can do exactly what that person could do in the web app and nothing more. None of them
opens the database, and none imports Django (an import-linter contract keeps it so).

Configuration, each option over its environment variable:

    --server URL        COMMUNE_SERVER   (default http://127.0.0.1:8000)
    --token TOKEN       COMMUNE_TOKEN    (or --token-file PATH: the token on the file's first line)
    --org SLUG          COMMUNE_ORG      (default: the caller's only organisation, from /api/me)
    --json              print the API's JSON instead of a table

Exit status: 0 on success; 1 when the server refused (its ``detail`` goes to standard error); 2 for a
usage error, a missing token, or a server that cannot be reached.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from commune.console import gettext as _

DEFAULT_SERVER = "http://127.0.0.1:8000"
TIMEOUT_SECONDS = 30.0


class ClientError(Exception):
    """Something that stops a command; ``status`` is the exit status it ends with."""

    status = 1


class Refused(ClientError):
    """The server answered with an error; the message is its ``detail``."""

    def __init__(self, http_status: int, detail: str) -> None:
        super().__init__(detail)
        self.http_status = http_status


class UsageError(ClientError):
    """The command cannot be run as given, or the server cannot be reached."""

    status = 2


class Api:
    """One person's connection to one Commune server, authenticated by their bearer token."""

    def __init__(self, *, server: str, token: str, org: str | None = None) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self._org = org

    def request(self, method: str, path: str, payload: dict[str, Any] | None = None, **query: Any) -> Any:
        """Send one request to ``/api{path}`` and return the decoded JSON (``None`` for an empty reply)."""
        params = {k: _query_value(v) for k, v in query.items() if v is not None}
        url = f"{self.server}/api{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            raise Refused(error.code, _detail(error)) from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise UsageError(
                _("cannot reach the Commune server at %(server)s: %(reason)s")
                % {"server": self.server, "reason": reason}
            ) from error
        if not body:
            return None
        try:
            return json.loads(body)
        except ValueError as error:
            raise UsageError(
                _("%(server)s did not answer with JSON: is it a Commune server?") % {"server": self.server}
            ) from error

    def get(self, path: str, **query: Any) -> Any:
        return self.request("GET", path, **query)

    def post(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        return self.request("POST", path, payload if payload is not None else {})

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)

    def me(self) -> dict[str, Any]:
        return dict(self.get("/me"))

    @property
    def org(self) -> str:
        """The organisation's slug: as configured, else the caller's only organisation."""
        if self._org is None:
            slugs = [m["organisation"] for m in self.me()["memberships"]]
            if len(slugs) != 1:
                if not slugs:
                    raise UsageError(_("you are not a current member of any organisation on this server"))
                raise UsageError(
                    _(
                        "you are a member of several organisations (%(slugs)s): choose one with --org or COMMUNE_ORG"
                    )
                    % {"slugs": ", ".join(slugs)}
                )
            self._org = slugs[0]
        return self._org

    def in_org(self, path: str) -> str:
        """``path`` under the organisation: ``/orgs/{slug}{path}``."""
        return f"/orgs/{urllib.parse.quote(self.org, safe='')}{path}"

    def membership(self) -> dict[str, Any]:
        """The caller's membership in the organisation (number, unit, seats held)."""
        for membership in self.me()["memberships"]:
            if membership["organisation"] == self.org:
                return dict(membership)
        raise UsageError(_("you are not a current member of %(org)s") % {"org": repr(self.org)})


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _detail(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read() or b"null")
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("detail"):
        detail = body["detail"]
        return detail if isinstance(detail, str) else json.dumps(detail)
    return _("the server answered HTTP %(code)s %(reason)s") % {"code": error.code, "reason": error.reason}


# --- Options and running -------------------------------------------------------------------------------


def common_options() -> argparse.ArgumentParser:
    """The options every member-facing sub-command takes (use as ``parents=[common_options()]``)."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group(_("connection"))
    group.add_argument(
        "--server",
        metavar="URL",
        help=_("the Commune server (env COMMUNE_SERVER; %(default)s)") % {"default": DEFAULT_SERVER},
    )
    tokens = group.add_mutually_exclusive_group()
    tokens.add_argument("--token", help=_("your API token (env COMMUNE_TOKEN; prefer it or --token-file)"))
    tokens.add_argument("--token-file", metavar="PATH", help=_("read your API token from this file"))
    group.add_argument(
        "--org", metavar="SLUG", help=_("the organisation (env COMMUNE_ORG; default: your only one)")
    )
    common.add_argument("--json", action="store_true", help=_("print the API's JSON instead of a table"))
    return common


def connect(args: argparse.Namespace) -> Api:
    """The connection the options and environment describe. Raises ``UsageError`` without a token."""
    server = args.server or os.environ.get("COMMUNE_SERVER") or DEFAULT_SERVER
    if not server.startswith(("http://", "https://")):
        raise UsageError(
            _("--server must be an http:// or https:// URL, not %(server)s") % {"server": repr(server)}
        )
    token = args.token
    if args.token_file:
        try:
            lines = Path(args.token_file).read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise UsageError(
                _("cannot read %(path)s: %(reason)s")
                % {"path": args.token_file, "reason": error.strerror or error}
            ) from error
        token = lines[0] if lines else ""
    if token is None:
        token = os.environ.get("COMMUNE_TOKEN")
    if not token or not token.strip():
        raise UsageError(
            _(
                "no API token: pass --token-file PATH or set COMMUNE_TOKEN "
                "(create a token on your account page in the web app)"
            )
        )
    return Api(server=server, token=token.strip(), org=args.org or os.environ.get("COMMUNE_ORG") or None)


Handler = Callable[[Api, argparse.Namespace], int | None]


def run(prog: str, parser: argparse.ArgumentParser, argv: Sequence[str]) -> int:
    """Parse ``argv``, connect, call the chosen sub-command's handler and turn failures into exit codes."""
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_usage(sys.stderr)
        return 2
    try:
        return int(handler(connect(args), args) or 0)
    except ClientError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return error.status


def read_text(path: str) -> str:
    """A file's text, or standard input's for ``-``."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(
            _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror or error}
        ) from error


# --- Output ----------------------------------------------------------------------------------------------


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    if len(text) >= 19 and text[10:11] == "T" and text[4:5] == "-":
        return text[:16].replace("T", " ")  # an ISO timestamp, to the minute
    return text


def table(
    rows: Iterable[dict[str, Any]], columns: Sequence[tuple[str, str]], *, empty: str | None = None
) -> str:
    """Rows as aligned columns: ``columns`` pairs each key with its heading (marked with ``gettext_noop``:
    translated here), ``empty`` is printed when there are no rows."""
    lines = [[_(heading) if heading else "" for _key, heading in columns]]
    lines += [[cell(row.get(key)) for key, _heading in columns] for row in rows]
    if len(lines) == 1:
        return _("(none)") if empty is None else empty
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def fields(pairs: Sequence[tuple[str, Any]]) -> str:
    """Label: value lines, the labels aligned; pairs whose value is ``None`` are left out. The labels are
    marked with ``gettext_noop`` and translated here."""
    shown = [(_(label), cell(value)) for label, value in pairs if value is not None]
    width = max((len(label) for label, _ in shown), default=0)
    return "\n".join(f"{(label + ':').ljust(width + 1)} {value}" for label, value in shown)


def counts(vote: dict[str, Any]) -> str:
    """A vote's outcome in words."""
    if vote.get("closed_at") is None:
        return _("open until %(when)s") % {"when": cell(vote.get("closes_at"))}
    outcome = _("carried") if vote.get("carried") else _("not carried")
    return _("%(yes)s yes, %(no)s no, %(abstain)s abstain: %(outcome)s") % {
        "yes": vote.get("yes"),
        "no": vote.get("no"),
        "abstain": vote.get("abstain"),
        "outcome": outcome,
    }
