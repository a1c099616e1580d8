"""Shared fixtures: a small federation built through the real services."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.federation.models import Body, Member, Organisation
from commune.federation.services import (
    body_create,
    council_apportion,
    delegation_seat,
    member_admit,
    office_create,
    office_fill,
    organisation_found,
)
from tests.clock import IN_FORCE, Clock, RunningClock, current_term
from tests.data_folders import copy_of, demo_copied, demo_folder, migrated_folder, prepared, run_folder
from tests.live.servers import Servers, seed_into, two_servers
from tests.ordering import longest_first
from tests.snapshots import kept_or_built, share_in

# Properties are about what is generated, not how fast: on a loaded machine (CI's two cores running the
# suite in parallel) drawing an input can take over a second, which must not fail a test.
hypothesis_settings.register_profile("commune", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("commune")

#: Set to a number of days to run the whole suite with every clock in this process moved that far ahead
#: (CI runs it two years ahead): the proof that no test depends on the calendar.
DAYS_AHEAD_VARIABLE = "COMMUNE_TEST_DAYS_AHEAD"


def pytest_configure(config: pytest.Config) -> None:
    days = os.environ.get(DAYS_AHEAD_VARIABLE, "").strip()
    if not days:
        return
    if not days.lstrip("-").isdigit():
        raise pytest.UsageError(f"{DAYS_AHEAD_VARIABLE} must be a whole number of days, not {days!r}")
    import time_machine

    # tick=True: time goes on passing from the new start, as timeouts and the scheduler expect.
    time_machine.travel(datetime.now(UTC) + timedelta(days=int(days)), tick=True).start()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first, so that both workers stay busy to the end (``tests/ordering.py``)."""
    longest_first(items)


def pytest_report_header(config: pytest.Config) -> str:
    return f"today, by the clock the tests run on: {date.today().isoformat()}"


#: Figures a test leaves in its report's ``user_properties`` under this key (the schema fuzzer's,
#: ``tests/api/test_conformance.py``) are printed at the end of the run, whether its workers ran it or not.
FIGURES_KEY = "schema_fuzz"
_FIGURES: list[tuple[str, dict[str, object]]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _FIGURES.extend((report.nodeid, value) for key, value in report.user_properties if key == FIGURES_KEY)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FIGURES:
        return
    terminalreporter.section("schema fuzz")
    for nodeid, figures in _FIGURES:
        terminalreporter.write_line(nodeid)
        for name, value in figures.items():
            terminalreporter.write_line(f"  {name}: {value}")


@dataclass
class SmallFederation:
    """Congress → 2 district councils → 2 units each, with members, seats, delegates and a unit officer."""

    org: Organisation
    congress: Body
    districts: list[Body]
    units: list[Body]
    members: dict[str, Member]
    officer: User
    member: User
    delegate: User


PASSWORD = "correct horse battery staple"


def build_federation(
    units_per_district: int = 2,
    members_per_unit: int = 5,
    slug: str = "tf",
    term: tuple[date, date] | None = None,
) -> SmallFederation:
    """The officer's and the delegates' seats are for ``term``, by default one under way today. Built
    through the services once per test process; later tests asking for the same one get its rows back
    (``tests/snapshots.py``)."""
    from django.conf import settings

    term = term or current_term()
    return kept_or_built(
        (units_per_district, members_per_unit, slug, term, settings.LOG_SIGNING_KEY),
        lambda: federation_build(units_per_district, members_per_unit, slug, term),
        federation_keys,
        federation_load,
    )


def seed_demo() -> Organisation:
    """The demo federation as ``commune demo`` seeds it, in the test database. The first time in the run
    it is copied from the run's demo folder, which that command seeded once (``tests/data_folders.py``)
    and whose rows the command's own test reads too; later tests get its rows back (``tests/snapshots.py``),
    as ``build_federation``'s. Where it cannot be copied, it is seeded here through the services
    (``demo_seed``), as the command seeds it."""
    from django.conf import settings

    return kept_or_built(
        ("demo", settings.LOG_SIGNING_KEY),
        _demo_copied_or_seeded,
        lambda org: org.pk,
        lambda pk: Organisation.objects.get(pk=pk),
    )


#: This process's ``tmp_path_factory``, by which ``seed_demo`` finds the run's folders (``_run_known``).
_RUN: list[pytest.TempPathFactory] = []


def _demo_copied_or_seeded() -> Organisation:
    from commune.federation.demo import demo_seed

    # Under a clock moved ahead (DAYS_AHEAD_VARIABLE) the demo is seeded here, on that clock: the command
    # ran on the machine's, so its demo's ballots, terms and deadlines would all lie that far in the past.
    if os.environ.get(DAYS_AHEAD_VARIABLE, "").strip():
        return demo_seed()
    return demo_copied(demo_folder(_RUN[0]), migrated_folder(_RUN[0])) or demo_seed()


def federation_keys(fed: SmallFederation) -> dict[str, Any]:
    return {
        "org": fed.org.pk,
        "congress": fed.congress.pk,
        "districts": [b.pk for b in fed.districts],
        "units": [b.pk for b in fed.units],
        "members": {key: m.pk for key, m in fed.members.items()},
        "people": [fed.officer.pk, fed.member.pk, fed.delegate.pk],
    }


def federation_load(keys: dict[str, Any]) -> SmallFederation:
    bodies = Body.objects.in_bulk([keys["congress"], *keys["districts"], *keys["units"]])
    members = Member.objects.select_related("person").in_bulk(keys["members"].values())
    people = {m.person_id: m.person for m in members.values()}
    officer, member, delegate = (people[pk] for pk in keys["people"])
    return SmallFederation(
        org=Organisation.objects.get(pk=keys["org"]),
        congress=bodies[keys["congress"]],
        districts=[bodies[pk] for pk in keys["districts"]],
        units=[bodies[pk] for pk in keys["units"]],
        members={key: members[pk] for key, pk in keys["members"].items()},
        officer=officer,
        member=member,
        delegate=delegate,
    )


def federation_build(
    units_per_district: int, members_per_unit: int, slug: str, term: tuple[date, date]
) -> SmallFederation:
    term_start, term_end = term
    org = organisation_found(name=f"Test Federation {slug}", slug=slug)
    congress = body_create(organisation=org, kind="council", code="CONGRESS", name="Congress", seats_fixed=8)
    districts, units = [], []
    for d in range(2):
        district = body_create(
            organisation=org,
            kind="council",
            code=f"D{d}",
            name=f"District {d}",
            parent=congress,
            members_per_seat=3,
        )
        districts.append(district)
        for u in range(units_per_district):
            units.append(
                body_create(
                    organisation=org,
                    kind="unit",
                    code=f"D{d}-U{u}",
                    name=f"Unit {d}.{u}",
                    parent=district,
                    unit_type="depot",
                )
            )
    members: dict[str, Member] = {}
    n = 0
    for unit in units:
        for _ in range(members_per_unit):
            n += 1
            person = user_create(email=f"m{n}@{slug}.example", name=f"Member {n:03d}", password=PASSWORD)
            members[f"m{n}"] = member_admit(unit=unit, person=person, number=f"{slug.upper()}{n:05d}")
    for council in [*districts, congress]:
        council_apportion(council=council, reason="founding")
    unit0 = units[0]
    first = members["m1"]
    office = office_create(body=unit0, title="Secretary", manages_roll=True)
    office_fill(
        office=office,
        member=members["m2"],
        term_start=term_start,
        term_end=term_end,
        source="test election",
    )
    delegation_seat(
        council=districts[0],
        constituency=unit0,
        member=members["m3"],
        term_start=term_start,
        term_end=term_end,
        source="test election",
    )
    delegation_seat(
        council=congress,
        constituency=districts[0],
        member=members["m3"],
        term_start=term_start,
        term_end=term_end,
        source="test election",
    )
    return SmallFederation(
        org=org,
        congress=congress,
        districts=districts,
        units=units,
        members=members,
        officer=members["m2"].person,
        member=first.person,
        delegate=members["m3"].person,
    )


@pytest.fixture(autouse=True, scope="session")
def _box_keys_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test process keeps its ballot boxes' keys in a folder of its own (processes running side by
    side number their boxes alike), passed on to any server or command it starts."""
    from django.conf import settings

    folder = tmp_path_factory.mktemp("box_keys")
    os.environ["COMMUNE_BOX_KEYS_DIR"] = str(folder)
    settings.BOX_KEYS_DIR = folder


@pytest.fixture(autouse=True, scope="session")
def _run_known(tmp_path_factory: pytest.TempPathFactory) -> None:
    """``seed_demo``, called by tests themselves, finds the run's demo folder where the session's fixtures
    do (``demo_data_dir``)."""
    _RUN[:] = [tmp_path_factory]


@pytest.fixture(autouse=True, scope="session")
def _snapshots_shared(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The run's test processes share the federations and the demo they build (``tests/snapshots.py``)."""
    share_in(run_folder(tmp_path_factory) / "snapshots")


@pytest.fixture(autouse=True, scope="session")
def _static_files_listed_once() -> Iterator[None]:
    """Each Django test client loads the middleware afresh, and WhiteNoise's lists and stats every static
    file as it loads: a tenth of a typical API test's time, thousands of times a run. The files do not
    change while the suite runs, so each process lists them once and every later middleware reuses the
    list (the same files, served the same way)."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict[str, dict[str, Any]] = {}

    def listed_once(self: WhiteNoiseMiddleware) -> None:
        if self.static_prefix not in listed:
            before = dict(self.files)
            list_files(self)
            listed[self.static_prefix] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        self.files.update(listed[self.static_prefix])

    WhiteNoiseMiddleware.add_files_from_finders = listed_once  # type: ignore[method-assign]
    yield
    WhiteNoiseMiddleware.add_files_from_finders = list_files  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """Each test process's database, copied from one migrated once per run (``tests/databases.py``), or
    pytest-django's own setup under ``--reuse-db``."""
    from django.test.utils import setup_databases, teardown_databases

    from tests.databases import databases_set_up, flush_by_deleting, template_drop

    flush_by_deleting()
    kept = request.config.getvalue("reuse_db")
    with django_db_blocker.unblock():
        if kept:
            setup_databases(verbosity=0, interactive=False, keepdb=True, aliases={"default"})
        else:
            old_config = databases_set_up(
                run_folder(tmp_path_factory), lambda: request.getfixturevalue("migrated_data_dir")
            )
    yield
    if kept:
        return
    with django_db_blocker.unblock():
        teardown_databases(old_config, verbosity=0)
        template_drop()


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose SQLite database is migrated, prepared once per run (``tests/data_folders.py``):
    copy it (``copy_of``), never start a server in it."""
    return migrated_folder(tmp_path_factory)


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder ``commune demo`` seeded the demo in, prepared once per run (``tests/data_folders.py``):
    copy it (``copy_of``), never start a server in it."""
    return demo_folder(tmp_path_factory)


@pytest.fixture(scope="session")
def live_seeded_dir(tmp_path_factory: pytest.TempPathFactory, migrated_data_dir: Path) -> Path:
    """A data folder seeded by ``tests/live/seed.py``, prepared once per run: servers run on copies."""
    return prepared(tmp_path_factory, "seeded", lambda folder: seed_into(copy_of(migrated_data_dir, folder)))


@pytest.fixture(scope="session")
def live_servers(tmp_path_factory: pytest.TempPathFactory, live_seeded_dir: Path) -> Iterator[Servers]:
    """Two ``commune serve`` processes on one seeded database and one Redis (``tests/live/servers.py``),
    started once per test process for every test that needs them."""
    from tests.live.conftest import redis_url

    with two_servers(tmp_path_factory.mktemp("live-servers"), live_seeded_dir, redis_url()) as running:
        yield running


@pytest.fixture(autouse=True)
def _live_counts_at_every_change(settings: pytest.FixtureRequest) -> None:
    """Tests see a vote's turnout published at each cast, in the test's own thread and transaction; the
    coalescing of a running server is tested on its own (``tests/live/test_coalescing.py``)."""
    settings.LIVE_COALESCE_SECONDS = 0  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _cast_shapes_forgotten() -> None:
    """What a process remembers of the processes it cast into (a vote's mode and box, an election's box)
    is forgotten before each test: the rows it was read from are rolled back, and the snapshots put back
    reuse their keys, so a later test's vote may have an earlier one's id. Remembering it across tests
    would still cast right (a stale pair writes nothing), but with one statement more."""
    from commune.elections.services import casting as election_casting
    from commune.motions.services import casting as vote_casting

    vote_casting._SHAPE_OF.clear()
    election_casting._BOX_OF.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Argon2 is deliberately slow; tests that create hundreds of people use a fast hasher instead.
    (``tests/accounts`` checks that production uses Argon2.)"""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _log_guard_around_flush(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Tests on a real (non-rolled-back) database end with a flush that empties every table, which the
    log's append-only guard refuses. Such tests run with the guard in place and lift it only for the flush."""
    if not ({"transactional_db", "live_server"} & set(request.fixturenames)):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from commune.audit.guard import guard_install, guard_remove

    guard_install(connection)
    yield
    guard_remove(connection)


@pytest.fixture(autouse=True)
def _power_held_to_the_log(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Whatever a test does through Commune, every record of who holds power ends as its organisation's
    log says: the log rebuilds it exactly, with no false discrepancy. Tests that tamper on purpose are
    marked ``tampered``."""
    uses_db = {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    ) or request.node.get_closest_marker("django_db")
    if not uses_db or request.node.get_closest_marker("tampered"):
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    yield
    from django.db import transaction
    from django.db.utils import DatabaseError

    from commune.audit.verification import chain_verify, power_state_discrepancies

    if transaction.get_connection().needs_rollback:
        return
    try:
        ids = list(Organisation.objects.values_list("pk", flat=True))
        found = {pk: power_state_discrepancies(organisation_id=pk) for pk in ids}
        # A test that broke the chain itself is about the chain: its rows are not compared.
        wrong = [
            f"{d}"
            for pk, discrepancies in found.items()
            if discrepancies and chain_verify(organisation_id=pk).problem is None
            for d in discrepancies
        ]
    except DatabaseError:  # the test left its transaction unusable; nothing can be read
        return
    assert not wrong, "records of who holds power differ from the log:\n" + "\n".join(wrong)


@pytest.fixture
def federation(db: None) -> SmallFederation:
    return build_federation()


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """A request in another language leaves it active in the thread (LocaleMiddleware never switches
    back); the next test starts in the language the strings are written in, whatever ran before."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _running_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningClock]:
    """Every test's time runs on, and ``tests.clock.let_time_pass`` moves it ahead (a session's notice, a
    vote's minimum time) without sleeping."""
    running = RunningClock(timezone.now)
    monkeypatch.setattr(timezone, "now", running)
    IN_FORCE[:] = [running]
    yield running
    IN_FORCE.clear()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, _running_clock: RunningClock) -> Iterator[Clock]:
    """A clock the test moves by hand, starting now."""
    c = Clock(timezone.now().replace(microsecond=0))
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    IN_FORCE.append(c)
    yield c


@pytest.fixture(autouse=True)
def _api_answers_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a test asks of the API, each answer's status is one the OpenAPI schema declares."""
    from tests.answers import check_answers_declared

    check_answers_declared(monkeypatch)
