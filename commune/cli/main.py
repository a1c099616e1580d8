"""The ``commune`` command.

Sub-commands are imported only when chosen, so ``commune tally`` never loads Django and starts fast.
A refusal of the domain that a sub-command does not report itself (``commune.errors.DomainError``) ends
it here: its message on standard error, exit status 1.
"""

from __future__ import annotations

import importlib
import sys

from commune.console import gettext as _
from commune.console import gettext_noop
from commune.errors import DomainError

#: The exit status of a command the domain refused (2 stays for a usage error).
EXIT_REFUSED = 1

# name -> (module, one-line help). Each module exposes ``main(argv: list[str]) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": (
        "commune.cli.demo",
        gettext_noop("create a local demo federation and serve it at http://127.0.0.1:8000"),
    ),
    "serve": ("commune.cli.serve", gettext_noop("serve the web UI and API (production: set DATABASE_URL)")),
    "tally": ("commune.cli.tally", gettext_noop("count ballot files (BLT, PrefLib, CSV) without a database")),
    "retally": (
        "commune.cli.retally",
        gettext_noop("check a downloaded election bulletin's hash and re-count it"),
    ),
    "election": (
        "commune.cli.elections",
        gettext_noop("run elections on time: run-due once, or a worker loop"),
    ),
    "import-members": ("commune.cli.members", gettext_noop("import a unit's member roll from CSV")),
    "dues": (
        "commune.cli.dues",
        gettext_noop("import a unit's dues payment file (CSV); lapse for arrears after notice"),
    ),
    "audit": (
        "commune.cli.audit",
        gettext_noop("verify the provenance log; erase a person from it on request"),
    ),
    "found": ("commune.cli.found", gettext_noop("found an organisation from a JSON description")),
    "motion": (
        "commune.cli.motions",
        gettext_noop("motions, votes and council sessions, as yourself via the API"),
    ),
    "mandate": (
        "commune.cli.mandates",
        gettext_noop("mandates on agenda items and delegates' compliance records"),
    ),
    "recall": ("commune.cli.recall", gettext_noop("open, sign and vote on recall petitions")),
    "notifications": ("commune.cli.notifications", gettext_noop("your notifications; --mark-read")),
    "messages": (
        "commune.cli.messages",
        gettext_noop("translation catalogues: update, check (as CI does), stats"),
    ),
    "manage": (
        "commune.cli.manage",
        gettext_noop("run a Django management command (migrate, createsuperuser, ...)"),
    ),
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [_("usage: commune COMMAND [ARGS...]"), "", _("commands:")]
    lines += [f"  {name.ljust(width)}  {_(help_text)}" for name, (_module, help_text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    if args[0] == "--version":
        from commune import __version__

        print(__version__)
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(
            _("commune: unknown command %(name)s") % {"name": repr(name)} + f"\n\n{usage()}", file=sys.stderr
        )
        return 2
    module = importlib.import_module(COMMANDS[name][0])
    try:
        return int(module.main(rest) or 0)
    except DomainError as exc:
        print(f"commune {name}: {exc}", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
