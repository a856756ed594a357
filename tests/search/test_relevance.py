"""The BCS dev sets, loaded through the forum service among 2,000 everyday posts and
searched through /api/v1/search, meet the relevance targets: what a searcher notices is
whether the right thread is in the first five results, whatever script, dialect,
spelling, abbreviation or question they typed, and however many other posts share
their words. Runs on the suite's database and search backend (SQLite + Whoosh, or
PostgreSQL with ``BOARD_TEST_DATABASE_URL``; the postgres backend in
``test_postgres_backend``'s configuration is measured by ``bench/relevance.py``)."""

from __future__ import annotations

import json

import pytest

from board import relevance

DISTRACTORS = 2_000
SETS = [relevance.DEV_SET, relevance.DEV_SET_V2]


def _load(path) -> dict:
    if not path.exists():
        pytest.skip(f"no relevance set at {path} (set BOARD_TEST_CORPUS to shared/corpus)")
    if not relevance.corpus_sentences():
        pytest.skip(f"no BCS sentences under {relevance.CORPUS / 'bcs'} for the distractors")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SETS, ids=lambda p: p.stem)
def test_dev_set_meets_the_targets_among_distractors(app, client, path):
    data = _load(path)
    posts = relevance.mixed(data["posts"], relevance.distractor_posts(DISTRACTORS))
    threads = relevance.load_posts(posts)
    tallies = relevance.score(data["queries"], threads, client, show=False)
    misses = relevance.passes_targets(tallies)
    assert not misses, misses


@pytest.mark.slow
def test_distractors_do_not_outrank_the_answer(app, client):
    """A choir (zbor), advice (savjet) and a football report (izvještaj) share words with
    the posts a query means; the post meant comes first for these exact-word queries."""
    dev_set = _load(relevance.DEV_SET)
    threads = relevance.load_posts(dev_set["posts"])
    by_key = {key: thread for thread, key in threads.items()}
    for q, expected in [("zbor građana", "p24"), ("izvještaj o radu savjeta", "p18")]:
        ranked = relevance.ranked_threads(client, q)
        assert ranked[0] == by_key[expected], (q, [threads.get(t) for t in ranked[:5]])
