"""Workers that start together agree: one secret key, one search index, nothing lost.

gunicorn forks its workers and each builds the app; these are the two things a fresh
instance creates on first use. Each test starts several processes at the same moment.
"""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

from board.config import _instance_secret
from board.search.backends.whoosh import WhooshBackend
from tests.search.entries import doc

PROCESSES = 8


def _read_secret(instance: str, barrier, results) -> None:
    barrier.wait()
    results.put(_instance_secret(Path(instance)))


def test_workers_starting_together_share_one_complete_secret_key(tmp_path):
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    processes = [
        context.Process(target=_read_secret, args=(str(tmp_path), barrier, results))
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    keys = [results.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert len(set(keys)) == 1 and len(keys[0]) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temp files left


def _index_one(index_dir: str, n: int, barrier) -> None:
    # Eight writers queue for one lock; on a loaded 2-core CI machine each may hold it for
    # seconds, so the wait is generous: what this test checks is that nothing is lost.
    backend = WhooshBackend(index_dir, lock_timeout=180)
    barrier.wait()
    backend.index([doc(n, f"Tema {n}", f"Objava broj {n}.")])
    backend.close()


def test_workers_creating_the_index_together_lose_no_entry(tmp_path):
    """Whoosh's create() deletes every index file first: unguarded, a second creator
    wiped what the first had already written."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    index_dir = str(tmp_path / "index")
    processes = [
        context.Process(target=_index_one, args=(index_dir, n, barrier))
        for n in range(1, PROCESSES + 1)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * PROCESSES
    backend = WhooshBackend(index_dir)
    assert len(dict(backend.versions())) == PROCESSES
    backend.close()
