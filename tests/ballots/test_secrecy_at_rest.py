"""Secrecy at rest: nothing kept by the server links a voter to what they voted.

Someone who holds the database files or a backup reads more than the live rows: dead row versions and
the free space VACUUM leaves in every page (``pageinspect``), and the write-ahead log, where each casting
transaction wrote the register row beside the ballot. They may also read the server's log and whatever
the default mail setting prints there. These tests cast, re-cast and seal, then read all of it.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction

import config.settings as project_settings
from commune.ballots.boxkeys import (
    RANKED,
    YES_NO,
    BoxKeyMissing,
    box_key_exists,
    ranked_box_key_destroy,
    ranked_paper_open,
    teller_entry_open,
)
from commune.ballots.models import (
    Ballot,
    BallotPaper,
    BulletinEntry,
    PaperDispute,
    PaperStatus,
    RegisterEntry,
    TellerEntry,
    YesNoPaper,
    YesNoRegisterEntry,
)
from commune.ballots.papers import (
    paper_channel_open,
    paper_dispute_resolve,
    paper_enter,
    papers_issue,
    ranked_paper_channel_open,
)
from commune.ballots.services import (
    ranked_box_open,
    ranked_bulletin_publish,
    yes_no_box_open,
    yes_no_cast,
    yes_no_seal,
)
from commune.elections.models import ElectionStatus
from commune.elections.services import elections_run_due
from commune.elections.services.casting import ballot_cast
from tests.clock import Clock
from tests.conftest import build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting
from tests.wal import table_files, tables_written, top_transactions, wal_bytes, wal_position

VOTERS = 36
#: Of the voters, the last vote in the election on paper.
RANKED_PAPERS = 6
YES_NO_VOTERS = 24
#: Words that only a plain yes/no paper or ranking would hold; ciphertext kept as bytes shows as hex.
_PLAIN = re.compile(r"\b(yes|no|abstain)\b|\[")


def _rankings(candidates: list[int], n: int, again: bool = False) -> list[int]:
    shift = 2 if again else 0
    return [candidates[(n + shift + k) % len(candidates)] for k in range(1 + n % 3)]


@pytest.fixture
def captured_log() -> Iterator[io.StringIO]:
    """Everything logged, at every level, by every logger (SQL statements with their parameters included),
    with the console mail backend that ``config.settings`` chooses when no mail server is set."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level, old_debug_cursor = root.level, connection.force_debug_cursor
    # This handler alone receives the records while the test runs: the console handlers that configuring
    # logging installs print the same records, to whichever stream they were bound when logging was last
    # configured, which in a long run of the suite can be the very output this test reads as "printed".
    loggers = [root, *(lg for lg in root.manager.loggerDict.values() if isinstance(lg, logging.Logger))]
    others = {lg: list(lg.handlers) for lg in loggers}
    for lg, handlers in others.items():
        for other in handlers:
            lg.removeHandler(other)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    logging.getLogger("django.db.backends").setLevel(logging.DEBUG)
    connection.force_debug_cursor = True
    try:
        yield stream
    finally:
        connection.force_debug_cursor = old_debug_cursor
        root.removeHandler(handler)
        for lg, handlers in others.items():
            for other in handlers:
                lg.addHandler(other)
        root.setLevel(old_level)


def _text(value: object) -> str:
    return bytes(value).hex() if isinstance(value, bytes | memoryview) else str(value)


def _table_rows(table: str) -> list[str]:
    """Every live row of ``table``, each as the text of all its columns (bytes in hex)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return [" ".join(_text(v) for v in row) for row in cursor.fetchall()]


def _open_election(clock: Clock, slug: str, voters: int):  # type: ignore[no-untyped-def]
    fed = build_federation(units_per_district=1, members_per_unit=voters // 2, slug=slug)
    election = call(clock, fed.congress, seats=2, title="Secrecy at rest")
    candidates = stand(election, *(fed.members[f"m{n}"] for n in range(1, 6)))
    return fed, to_voting(clock, election), candidates


@pytest.mark.django_db
def test_while_voting_is_open_no_row_links_a_voter_to_a_ballot(clock: Clock) -> None:
    """With re-voting on, after casts and re-casts: no register row holds anything of a ballot row (its id
    or anything else), and the box holds no plain tracker or ranking that a register row's transaction
    could point at. Any database."""
    fed, election, candidates = _open_election(clock, "open", 12)
    trackers = []
    for n in range(1, 13):
        trackers.append(
            ballot_cast(
                election_id=election.pk, member=fed.members[f"m{n}"], ranking=_rankings(candidates, n)
            ).tracker
        )
    for n in range(1, 13, 2):
        trackers.append(
            ballot_cast(
                election_id=election.pk, member=fed.members[f"m{n}"], ranking=_rankings(candidates, n, True)
            ).tracker
        )
    ballot_ids = [
        str(pk) for pk in Ballot.objects.filter(box_id=election.box_id).values_list("pk", flat=True)
    ]
    assert len(ballot_ids) == 12
    register = _table_rows(RegisterEntry._meta.db_table)
    box = _table_rows(Ballot._meta.db_table)
    for row in register:
        assert not any(b in row or b.replace("-", "") in row for b in ballot_ids), row
    for row in box:
        assert not any(t in row for t in trackers), row
        assert not _PLAIN.search(row), row


def _ballots_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname LIKE 'ballots\\_%%' AND relkind = 'r' ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def _pages(table: str) -> Iterator[tuple[bytes, list[tuple[int, int, int, bytes | None]]]]:
    """Every page of ``table``: its raw bytes (free space included) and its items, dead ones included, as
    (flags, xmin, xmax, data)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [table])
        for block in range(cursor.fetchone()[0]):
            cursor.execute("SELECT get_raw_page(%s, %s)", [table, block])
            raw = bytes(cursor.fetchone()[0])
            cursor.execute(
                "SELECT lp_flags, t_xmin::text::bigint, t_xmax::text::bigint, t_data "
                "FROM heap_page_items(get_raw_page(%s, %s))",
                [table, block],
            )
            yield (
                raw,
                [
                    (f, xmin or 0, xmax or 0, bytes(d) if d is not None else None)
                    for f, xmin, xmax, d in cursor.fetchall()
                ],
            )


def test_after_the_seal_no_page_wal_or_log_links_a_voter_to_a_ballot(
    transactional_db: None, clock: Clock, captured_log: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    """PostgreSQL. A few dozen voters cast (some asking for an emailed receipt, with the default mail
    setting) and a third re-cast, and a few vote in the election on paper (their preferences read by two
    tellers); a yes/no box is voted in, online and on paper (papers issued under codes, read by two
    tellers); both are sealed. Then, reading every page of
    every ballots table (dead tuples and free space too), the WAL written while voting was open, and
    everything logged or printed:

    * no tracker of any ballot, counted or replaced, is in the register's or the box's pages, nor a ballot
      id in the register's;
    * no row version of a plain table (the bulletin, the sealed yes/no papers) shares a transaction with
      a register row version;
    * no tracker is in the WAL of the voting period, and no transaction then wrote a register row and a
      plain paper;
    * no tracker is in the log, the SQL statements logged or the mail printed."""
    if connection.vendor != "postgresql":
        pytest.skip("pages and WAL are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
    settings.EMAIL_BACKEND = project_settings.EMAIL_BACKEND
    fed, election, candidates = _open_election(clock, "rest", VOTERS)
    box = yes_no_box_open()

    start = wal_position()
    trackers: list[str] = []
    for n in range(1, VOTERS - RANKED_PAPERS + 1):
        member = fed.members[f"m{n}"]
        trackers.append(
            ballot_cast(
                election_id=election.pk,
                member=member,
                ranking=_rankings(candidates, n),
                email_receipt=n % 6 == 0,
            ).tracker
        )
    for n in range(1, VOTERS - RANKED_PAPERS + 1, 3):
        member = fed.members[f"m{n}"]
        trackers.append(
            ballot_cast(
                election_id=election.pk,
                member=member,
                ranking=_rankings(candidates, n, True),
                email_receipt=n % 2 == 0,
            ).tracker
        )
    for n in range(1, YES_NO_VOTERS + 1):
        with transaction.atomic():
            yes_no_cast(box_id=box.pk, member=fed.members[f"m{n}"], choice=("yes", "no", "abstain")[n % 3])
    _ranked_papers_voted(fed, election.box_id, candidates, range(VOTERS - RANKED_PAPERS + 1, VOTERS + 1))
    _papers_voted(fed, box.pk, range(YES_NO_VOTERS + 1, YES_NO_VOTERS + 7))
    ballot_ids = [
        pk.bytes for pk in Ballot.objects.filter(box_id=election.box_id).values_list("pk", flat=True)
    ]
    sealing = wal_position()
    voting_log = captured_log.getvalue() + "".join(capsys.readouterr())

    election = to_declared(clock, election)
    with transaction.atomic():
        totals = yes_no_seal(box_id=box.pk)
    assert totals == {"yes": 10, "no": 10, "abstain": 10}
    bulletin = set(BulletinEntry.objects.filter(box_id=election.box_id).values_list("tracker", flat=True))
    assert len(bulletin) == VOTERS and len(bulletin - set(trackers)) == RANKED_PAPERS
    # The papers' trackers, which nobody was told, are searched for as the online ones are.
    trackers += sorted(bulletin - set(trackers))
    encoded = [t.encode() for t in trackers]

    top = top_transactions(start, wal_position())
    register_tables = {
        RegisterEntry._meta.db_table,
        YesNoRegisterEntry._meta.db_table,
        BallotPaper._meta.db_table,
        TellerEntry._meta.db_table,
    }
    plain_tables = {BulletinEntry._meta.db_table, "ballots_yesnopaper"}
    tables = _ballots_tables()
    assert register_tables | plain_tables | {Ballot._meta.db_table} <= set(tables)
    register_xids: set[int] = set()
    plain_xids: set[int] = set()
    for table in tables:
        for raw, items in _pages(table):
            if table not in plain_tables:
                assert not [t for t in encoded if t in raw], f"a tracker is in a page of {table}"
            if table in register_tables:
                assert not [b for b in ballot_ids if b in raw], f"a ballot id is in a page of {table}"
                register_xids |= {top.get(x, x) for _, xmin, xmax, _ in items for x in (xmin, xmax) if x}
            if table in plain_tables:
                plain_xids |= {top.get(x, x) for _, xmin, xmax, _ in items for x in (xmin, xmax) if x}
    assert not register_xids & plain_xids, "a plain ballot was written in a register row's transaction"

    wal = wal_bytes(start, sealing)
    assert not [t for t in encoded if t in wal], "a tracker is in the WAL written while voting was open"
    touched = tables_written(start, sealing, table_files(sorted(register_tables | plain_tables)), top)
    # The reading sees this database's writes at all: every register was written while voting.
    assert {name for written in touched.values() for name in written} >= register_tables
    for xid, written in touched.items():
        assert not (written & register_tables and written & plain_tables), (xid, written)

    assert not [t for t in trackers if t in voting_log], "a tracker reached the log while voting was open"
    printed = "".join(capsys.readouterr())
    leaks = [line for line in printed.splitlines() if any(t in line for t in trackers)]
    assert not leaks, f"a tracker was printed after the seal: {leaks[:3]}"


def _ranked_papers_voted(fed: Any, box_id: int, candidates: list[int], numbers: range) -> None:
    """Ranked papers for members ``numbers`` in the election's box, read alike by two tellers (m1, m2)
    who number the candidates differently past where a paper's preferences end."""
    tellers = [fed.members[f"m{n}"] for n in (1, 2, 3)]
    with transaction.atomic():
        channel = ranked_paper_channel_open(box_id=box_id, candidates=candidates, tellers=tellers)
        papers = papers_issue(
            channel_id=channel.pk, members=[fed.members[f"m{n}"] for n in numbers], issued_by=tellers[0]
        )
    for index, paper in enumerate(papers):
        # Preferences 1 and 2, then no 3: what follows (4, 5…) does not count, and the second teller
        # leaves it out.
        marks = [""] * len(candidates)
        for k in range(len(candidates)):
            marks[(index + k) % len(candidates)] = str(k + 1 if k < 2 else k + 2)
        for teller, reading in (
            (tellers[0], marks),
            (tellers[1], [m if m in ("1", "2") else "" for m in marks]),
        ):
            with transaction.atomic():
                paper_enter(channel_id=channel.pk, code=paper.code, answers=reading, teller=teller)
    assert set(BallotPaper.objects.filter(channel=channel).values_list("status", flat=True)) == {"counted"}


def _papers_voted(fed: Any, box_id: int, numbers: range) -> None:
    """Papers for members ``numbers`` in the box, read alike by two tellers (m1, m2), one of them
    disputed and settled by a third (m3); the answers cycle yes, no, void."""
    tellers = [fed.members[f"m{n}"] for n in (1, 2, 3)]
    with transaction.atomic():
        channel = paper_channel_open(box_ids=[box_id], tellers=tellers)
        papers = papers_issue(
            channel_id=channel.pk, members=[fed.members[f"m{n}"] for n in numbers], issued_by=tellers[0]
        )
    for index, paper in enumerate(papers):
        answer = ("yes", "no", "void")[index % 3]
        with transaction.atomic():
            paper_enter(channel_id=channel.pk, code=paper.code, answers=[answer], teller=tellers[0])
        with transaction.atomic():
            differs = index == 0
            read = "no" if differs else answer
            paper_enter(channel_id=channel.pk, code=paper.code, answers=[read], teller=tellers[1])
        if differs:
            with transaction.atomic():
                paper_dispute_resolve(
                    channel_id=channel.pk,
                    code=paper.code,
                    answers=[answer],
                    teller=tellers[2],
                    reason="mark_clear",
                )


@pytest.mark.django_db
def test_after_the_count_no_paper_code_leads_to_a_vote(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    """Paper ballots beside online votes: while the box is open a teller's reading is stored only
    encrypted, and no paper or dispute row holds an answer; once sealed, no teller's reading is left, the
    papers say who was issued which code and nothing of what the paper said, the sealed papers carry no
    code and no member, and a reading copied while voting was open no longer opens. Any database."""
    fed = build_federation(units_per_district=1, members_per_unit=6, slug="papers")
    box = yes_no_box_open()
    with transaction.atomic():
        yes_no_cast(box_id=box.pk, member=fed.members["m4"], choice="no")
    _papers_voted(fed, box.pk, range(5, 13))
    with transaction.atomic():
        channel_id = BallotPaper.objects.filter(member=fed.members["m5"]).values_list(
            "channel_id", flat=True
        )[0]
        extra = papers_issue(channel_id=channel_id, members=[fed.members["m1"]], issued_by=fed.members["m2"])[
            0
        ]
        paper_enter(channel_id=channel_id, code=extra.code, answers=["yes"], teller=fed.members["m2"])
    backup = [(row.paper_id, bytes(row.encrypted)) for row in TellerEntry.objects.all()]
    assert len(backup) == 1 and teller_entry_open(box.pk, *backup[0]) == ("yes",)
    for table in (TellerEntry, BallotPaper, PaperDispute):
        for row in _table_rows(table._meta.db_table):
            assert not _PLAIN.search(row), (table.__name__, row)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        paper_enter(channel_id=channel_id, code=extra.code, answers=["yes"], teller=fed.members["m3"])
        totals = yes_no_seal(box_id=box.pk)
    assert totals == {"yes": 4, "no": 4, "abstain": 2}
    assert not TellerEntry.objects.exists()
    assert set(BallotPaper.objects.values_list("status", flat=True)) == {PaperStatus.COUNTED}
    codes = list(BallotPaper.objects.values_list("code", flat=True))
    for row in _table_rows(YesNoPaper._meta.db_table):
        assert not any(code in row for code in codes), row
    for table in (BallotPaper, PaperDispute):
        for row in _table_rows(table._meta.db_table):
            assert not _PLAIN.search(row), (table.__name__, row)
    with pytest.raises(BoxKeyMissing):
        teller_entry_open(box.pk, *backup[0])


@pytest.mark.django_db
def test_a_ranked_papers_readings_are_kept_only_encrypted_and_gone_once_counted(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    """Ranked papers: each teller's reading (a preference number per candidate) is stored encrypted under
    the ranked box's key, every reading of the ballot the same length however many numbers it gives; once
    two agree the paper goes into the box and the readings are deleted; after the bulletin is published no
    paper row holds a tracker, and a reading copied while voting was open no longer opens. Any database."""
    fed = build_federation(units_per_district=1, members_per_unit=6, slug="rpapers")
    box = ranked_box_open()
    tellers = [fed.members[f"m{n}"] for n in (1, 2, 3)]
    with transaction.atomic():
        channel = ranked_paper_channel_open(box_id=box.pk, candidates=[101, 102, 103], tellers=tellers)
        papers = papers_issue(
            channel_id=channel.pk, members=[fed.members["m4"], fed.members["m5"]], issued_by=tellers[0]
        )
    readings = (["2", "1", "3"], ["1", "", ""])
    for paper, reading in zip(papers, readings, strict=True):
        with transaction.atomic():
            paper_enter(channel_id=channel.pk, code=paper.code, answers=reading, teller=tellers[0])
    backup = [(row.paper_id, bytes(row.encrypted)) for row in TellerEntry.objects.order_by("paper_id")]
    assert len({len(encrypted) for _, encrypted in backup}) == 1
    assert [teller_entry_open(box.pk, *row, kind=RANKED) for row in backup] == [
        ("2", "1", "3"),
        ("1", "", ""),
    ]
    for table in (TellerEntry, BallotPaper):
        for row in _table_rows(table._meta.db_table):
            assert "," not in row and not _PLAIN.search(row), (table.__name__, row)
    for paper, reading in zip(papers, readings, strict=True):
        with transaction.atomic():
            paper_enter(channel_id=channel.pk, code=paper.code, answers=reading, teller=tellers[1])
    assert not TellerEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        entries, _root = ranked_bulletin_publish(box_id=box.pk)
    assert sorted(e.ranking for e in entries) == [[101], [102, 101, 103]]
    for row in _table_rows(BallotPaper._meta.db_table):
        assert not any(e.tracker in row for e in entries), row
    with pytest.raises(BoxKeyMissing):
        teller_entry_open(box.pk, *backup[0], kind=RANKED)


def test_sealing_destroys_the_box_keys_and_nothing_left_opens(transactional_db: None, clock: Clock) -> None:
    """While voting is open each box has its key file, and every encrypted paper is the same length
    whatever it ranks; once the box is sealed the key file is gone, so a copy of the box taken while voting
    was open (a backup) no longer opens. Any database."""
    fed, election, candidates = _open_election(clock, "keys", 8)
    for n in range(1, 9):
        ballot_cast(election_id=election.pk, member=fed.members[f"m{n}"], ranking=_rankings(candidates, n))
    box = yes_no_box_open()
    with transaction.atomic():
        yes_no_cast(box_id=box.pk, member=fed.members["m1"], choice="abstain")
    assert box_key_exists(RANKED, election.box_id) and box_key_exists(YES_NO, box.pk)
    backup = [bytes(b.encrypted) for b in Ballot.objects.filter(box_id=election.box_id)]
    assert len({len(b) for b in backup}) == 1 and len(backup) == 8
    assert ranked_paper_open(election.box_id, backup[0]).tracker

    to_declared(clock, election)
    with transaction.atomic():
        assert yes_no_seal(box_id=box.pk)["abstain"] == 1
    assert not box_key_exists(RANKED, election.box_id) and not box_key_exists(YES_NO, box.pk)
    assert not Ballot.objects.filter(box_id=election.box_id).exists()
    assert BulletinEntry.objects.filter(box_id=election.box_id).count() == 8
    with pytest.raises(BoxKeyMissing):
        ranked_paper_open(election.box_id, backup[0])


@pytest.mark.django_db
def test_a_mailed_receipt_is_never_printed_into_the_servers_log(
    clock: Clock, capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Any
) -> None:
    """With no mail server set, mail goes to the console, that is the server's log: a ballot receipt is
    printed there without its body (no tracker beside the address); other mail still prints whole."""
    settings.EMAIL_BACKEND = project_settings.EMAIL_BACKEND
    fed, election, candidates = _open_election(clock, "mail", 10)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = ballot_cast(
            election_id=election.pk, member=fed.members["m2"], ranking=[candidates[0]], email_receipt=True
        )
    printed = capsys.readouterr().out
    assert fed.members["m2"].person.email in printed and "Your ballot tracker" in printed
    assert receipt.tracker not in printed and "is secret and is not printed" in printed
    send_mail("Hello", "An ordinary message", "a@example.org", ["b@example.org"])
    assert "An ordinary message" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_box_whose_key_was_lost_is_not_counted_and_the_scheduler_says_why(clock: Clock) -> None:
    """Without its key a box cannot be opened: voting closes (no more casts), nothing is published, and
    the scheduler reports the missing key on every run rather than stopping."""
    fed, election, candidates = _open_election(clock, "lost", 6)
    ballot_cast(election_id=election.pk, member=fed.members["m2"], ranking=[candidates[0]])
    ranked_box_key_destroy(election.box_id)
    clock.now = election.voting_close_at + timedelta(seconds=1)
    report = elections_run_due()
    assert [p for p in report.problems if f"election #{election.pk}" in p and "key" in p]
    election.refresh_from_db()
    assert election.status == ElectionStatus.COUNTING
    assert elections_run_due().problems == report.problems
    assert not BulletinEntry.objects.filter(box_id=election.box_id).exists()
