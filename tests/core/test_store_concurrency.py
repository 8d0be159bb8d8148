"""Reading the store while it is written, in one process: the lock in core.store.connect.

DuckDB refuses a read-only and a read-write connection to one file in the same process
("different configuration"); without the lock a page reading during a background refresh fails.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest

from core import queries
from core.errors import StoreError
from core.ingest.records import make_article
from core.normalize import normalize
from core.queries import Filters
from core.store import Store, StoreLock, connect, store_lock
from core.tagging.tagger import Tagger


def test_duckdb_itself_refuses_mixed_configurations(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).upsert([])
    writer = duckdb.connect(str(path))
    try:
        with pytest.raises(duckdb.ConnectionException, match="different configuration"):
            duckdb.connect(str(path), read_only=True)
    finally:
        writer.close()


def test_pages_read_while_a_refresh_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    store = Store(path)
    tagger = Tagger()
    store.upsert([normalize(make_article("Japan and the US agree on chips.", None, title="Start"), tagger)])
    batches = [[normalize(make_article(f"Japan and the US sign chip export control pact number {b}-{i}.", None,
                                       title=f"Pact {b}-{i}", url=f"https://example.org/{b}/{i}"), tagger)
                for i in range(20)] for b in range(15)]
    errors: list[BaseException] = []
    seen: list[int] = []
    done = threading.Event()

    def write() -> None:
        try:
            for batch in batches:
                store.upsert(batch, [("refresh", None, "warning", "test")])
                store.record_run({"source": "test", "kind": "rss", "status": "ok"})
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def read() -> None:
        try:
            while not done.is_set():
                seen.append(queries.count(path, Filters()))
                queries.health(path)
        except BaseException as exc:
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for r in readers:
        r.start()
    writer = threading.Thread(target=write)
    writer.start()
    writer.join(120)
    for r in readers:
        r.join(30)
    assert not errors, errors
    # the readers did read during the writes: some read saw a state between the first batch and the last
    assert any(1 < n < 1 + 15 * 20 for n in seen), seen
    assert min(seen) >= 1 and max(seen) <= 1 + 15 * 20
    assert queries.count(path, Filters()) == 1 + 15 * 20


def test_a_waiting_writer_goes_before_new_readers() -> None:
    lock = StoreLock()
    order: list[str] = []
    first_read = threading.Event()
    release = threading.Event()

    def reader(name: str, hold: threading.Event | None = None) -> None:
        with lock.hold(write=False):
            order.append(name)
            if hold is not None:
                first_read.set()
                release.wait(5)

    def writer() -> None:
        with lock.hold(write=True):
            order.append("write")

    r1 = threading.Thread(target=reader, args=("read1", release))
    r1.start()
    first_read.wait(5)
    w = threading.Thread(target=writer)
    w.start()
    time.sleep(0.1)  # the writer is waiting for read1
    r2 = threading.Thread(target=reader, args=("read2",))
    r2.start()
    time.sleep(0.1)
    assert order == ["read1"]  # read2 waits behind the writer
    release.set()
    for t in (r1, w, r2):
        t.join(5)
    assert order == ["read1", "write", "read2"]


def test_the_lock_is_reentrant_within_a_thread(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).upsert([])
    with connect(path, read_only=True) as a, connect(path, read_only=True) as b:
        assert a.execute("SELECT 1").fetchone() == b.execute("SELECT 1").fetchone()
    lock = store_lock(path)
    with lock.hold(write=True), lock.hold(write=True), lock.hold(write=False):
        pass
    with lock.hold(write=False), pytest.raises(StoreError, match="while this thread is reading"), lock.hold(write=True):
        pass


def test_a_busy_store_is_a_store_error_not_a_hang() -> None:
    lock = StoreLock()
    held = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with lock.hold(write=True):
            held.set()
            release.wait(5)

    t = threading.Thread(target=writer)
    t.start()
    held.wait(5)
    try:
        with pytest.raises(StoreError, match="busy"), lock.hold(write=False, timeout=0.1):
            pass
    finally:
        release.set()
        t.join(5)


def test_a_writer_that_gives_up_lets_waiting_readers_in() -> None:
    lock = StoreLock()
    reading, second_in, done = threading.Event(), threading.Event(), threading.Event()
    errors: list[Exception] = []

    def first_reader() -> None:
        with lock.hold(write=False):
            reading.set()
            second_in.wait(30)  # held until the second reader is in (or the test fails)

    def writer() -> None:
        with pytest.raises(StoreError), lock.hold(write=True, timeout=0.2):
            pass

    def second_reader() -> None:
        try:
            with lock.hold(write=False, timeout=20):
                second_in.set()
        except StoreError as exc:
            errors.append(exc)
        done.set()

    threads = [threading.Thread(target=first_reader)]
    threads[0].start()
    reading.wait(10)
    threads.append(threading.Thread(target=writer))
    threads[1].start()
    while not lock._waiting_writers:  # the writer waits: new readers queue behind it
        time.sleep(0.01)
    threads.append(threading.Thread(target=second_reader))
    threads[2].start()
    threads[1].join(10)
    # The writer gave up; the second reader must get in while the first still reads, not at its own timeout.
    assert second_in.wait(5) and not errors
    for t in threads:
        t.join(10)


def test_a_read_inside_this_threads_write_uses_the_write_connection(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).upsert([])
    with connect(path) as writer, connect(path, read_only=True) as reader:
        writer.execute("INSERT INTO meta VALUES ('probe', 'x')")
        assert reader.execute("SELECT value FROM meta WHERE key = 'probe'").fetchone() == ("x",)


def test_database_errors_are_store_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    Store(path).upsert([])
    with pytest.raises(StoreError, match="failed"), connect(path, read_only=True) as con:
        con.execute("SELECT * FROM no_such_table")
