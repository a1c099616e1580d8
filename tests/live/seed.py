"""Seeds a fresh database for the tests that start real servers: ``python -m tests.live.seed`` with the
servers' environment migrates it, builds the small federation with two units' secret votes open (opened
twenty minutes ago, so that they may be counted as soon as everyone has voted), and prints what the tests
need as JSON: the votes, signed-in sessions, API tokens."""

from __future__ import annotations

import json
import sys

from commune.cli.django_setup import django_start


def _meeting(fed: object) -> tuple[int, int]:
    """A sitting of District 0 (its delegates m3, who called it and chairs, and m6 on the roll), with the
    first item of its agenda, a motion, on the floor and put to the vote by the chair (as long ago as the
    seed's clock runs behind, so that the chair may close it as soon as both seats have voted). Its notice
    is cut short by hand (no clock is moved: the servers run on the real one), a shortcut only a test's
    setup takes. Returns the session and the vote."""
    from django.utils import timezone

    from commune.motions.models import CouncilSession
    from tests.motions.conftest import Fed, on_agenda

    assert isinstance(fed, Fed)
    on_agenda(fed, 3, "D0", supporter=6)
    called = fed.api(3).post(f"/orgs/{fed.slug}/bodies/D0/sessions", {"title": "District 0 meets"})
    session = int(called.json()["id"])
    CouncilSession.objects.filter(pk=session).update(starts_at=timezone.now())
    base = f"/orgs/{fed.slug}/sessions/{session}/meeting"
    for n in (3, 6):
        assert fed.api(n).post(f"{base}/check-in").status_code == 200
    assert fed.api(3).post(f"{base}/floor", {"position": 1}).status_code == 200
    opened = fed.api(3).post(f"{base}/votes", {"minutes": 180})
    assert opened.status_code == 200, opened.json()
    return session, int(opened.json()["vote"]["id"])


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
    meeting, meeting_vote = _meeting(fed)

    def session(user: object) -> str:
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        return str(client.cookies["sessionid"].value)

    json.dump(
        {
            "slug": fed.slug,
            "votes": votes,
            "meeting": meeting,
            "meeting_vote": meeting_vote,
            "sessions": {
                **{f"m{n}": session(fed.members[f"m{n}"].person) for n in (1, 2, 3, 6, 7)},
                "outsider": session(outsider),
            },
            "numbers": {f"m{n}": fed.members[f"m{n}"].number for n in (1, 3, 6, 7)},
            "tokens": {f"m{n}": fed.api(n).headers["HTTP_AUTHORIZATION"] for n in range(1, 11)},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
