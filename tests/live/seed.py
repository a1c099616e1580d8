"""Seeds a fresh database for the tests that start real servers: ``python -m tests.live.seed`` with the
servers' environment migrates it, builds the small federation with two units' secret votes open (opened
twenty minutes ago, so that they may be counted as soon as everyone has voted), and prints what the tests
need as JSON: the votes, signed-in sessions, API tokens."""

from __future__ import annotations

import json
import os
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


def _assembly(fed: object, members: int) -> dict[str, object]:
    """A unit of ``members`` members (in bulk: the benchmark's general assembly of thousands) voting in
    secret on a motion, with one API token each; the vote opened now (the clock of the seed runs twenty
    minutes behind, so it may be closed as soon as everyone has voted)."""
    import os
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from commune.accounts.models import ApiToken, User
    from commune.accounts.services import TOKEN_PREFIX, token_digest
    from commune.federation.models import Member, Membership
    from commune.federation.services import body_create, member_counts_refresh
    from commune.motions.models import MotionStatus
    from commune.motions.services import motion_vote_open
    from commune.motions.services.motions import motion_move, motion_support
    from tests.motions.conftest import Fed

    assert isinstance(fed, Fed)
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # thousands of notices
    unit = body_create(
        organisation=fed.org, kind="unit", code="BIG", name="The assembly", parent=fed.small.congress
    )
    users = User.objects.bulk_create(
        User(email=f"a{n}@assembly.example", name=f"Assembly {n:05d}", password="!") for n in range(members)
    )
    now = timezone.now()
    people = Member.objects.bulk_create(
        Member(organisation=fed.org, person=u, number=f"A{n:05d}", current_unit=unit)
        for n, u in enumerate(users)
    )
    Membership.objects.bulk_create(Membership(member=m, unit=unit, started_at=now) for m in people)
    member_counts_refresh(organisation=fed.org)
    tokens = [f"{TOKEN_PREFIX}assembly-{n}-{os.urandom(8).hex()}" for n in range(members)]
    ApiToken.objects.bulk_create(
        ApiToken(user=u, name="assembly", prefix=t[:10], digest=token_digest(t), last_used_at=now)
        for u, t in zip(users, tokens, strict=True)
    )
    motion = motion_move(body=unit, member=people[0], title="Assembly", text="Shall we all vote?")
    supporter = 1
    while motion.status != MotionStatus.ON_AGENDA:
        motion = motion_support(motion=motion, member=people[supporter])
        supporter += 1
    vote = motion_vote_open(motion=motion, member=people[0], closes_at=now + timedelta(hours=2))
    return {"vote": vote.pk, "tokens": tokens}


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
    assembly = int(os.environ.get("COMMUNE_SEED_ASSEMBLY", "0"))

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
            **({"assembly": _assembly(fed, assembly)} if assembly else {}),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
