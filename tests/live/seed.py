"""Seeds a fresh database for the tests that start real servers: ``python -m tests.live.seed`` with the
servers' environment migrates it, builds the small federation with two units' secret votes open (opened
twenty minutes ago, so that they may be counted as soon as everyone has voted), and prints what the tests
need as JSON: the votes, signed-in sessions, API tokens."""

from __future__ import annotations

import json
import sys

from commune.cli.django_setup import django_start


def main() -> None:
    django_start()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from tests.clock import IN_FORCE, RunningClock
    from tests.conftest import build_federation
    from tests.motions.conftest import Fed, on_agenda, put

    call_command("migrate", interactive=False, verbosity=0)
    running = RunningClock(timezone.now)
    timezone.now = running  # type: ignore[assignment]
    IN_FORCE[:] = [running]
    running.advance(minutes=-20)
    fed = Fed(build_federation())
    votes = {
        "u0": put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2), minutes=60),
        "u1": put(fed, 6, on_agenda(fed, 6, "D0-U1", supporter=7), minutes=60),
    }
    outsider = build_federation(slug="other").member

    def session(user: object) -> str:
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        return str(client.cookies["sessionid"].value)

    json.dump(
        {
            "slug": fed.slug,
            "votes": votes,
            "sessions": {
                **{f"m{n}": session(fed.members[f"m{n}"].person) for n in (1, 2, 6, 7)},
                "outsider": session(outsider),
            },
            "tokens": {f"m{n}": fed.api(n).headers["HTTP_AUTHORIZATION"] for n in range(1, 11)},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
