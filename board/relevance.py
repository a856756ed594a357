"""The relevance harness for the BCS dev sets (``shared/search/``): load posts through the
forum's own use cases, run the queries through ``/api/v1/search``, and score recall@5 and
MRR per phenomenon as ``shared/search/README.md`` says. Used by ``bench/relevance.py`` (the
report) and ``tests/search/test_relevance.py`` (the targets), so neither imports the other.
It drives the forum and auth use cases, so it sits above them, not inside ``search``.
"""

from __future__ import annotations

import os
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# ``shared/`` beside the checkout; ``BOARD_TEST_CORPUS`` (``shared/corpus``) names it too.
CORPUS = Path(
    os.environ.get("BOARD_TEST_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)
DEV_SET = CORPUS.parent / "search" / "dev-set.json"
DEV_SET_V2 = CORPUS.parent / "search" / "dev-set-v2.json"
TOP = 5
TARGET_RECALL, TARGET_MRR, TARGET_LABEL = 0.95, 0.90, 0.90
_CATEGORIES = ("regulation", "planning", "reporting", "participation")


@dataclass
class Tally:
    """Passes, recalled relevant posts and reciprocal ranks for one group of queries."""

    passed: list[bool] = field(default_factory=list)
    recalled: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)

    def add(self, passed: bool, recalled: float, rr: float) -> None:
        self.passed.append(passed)
        self.recalled.append(recalled)
        self.rr.append(rr)

    def row(self, name: str) -> str:
        n = len(self.passed)
        return (
            f"| {name} | {n} | {sum(self.passed) / n:.3f} | "
            f"{sum(self.recalled) / n:.3f} | {sum(self.rr) / n:.3f} |"
        )


def corpus_sentences(corpus: Path = CORPUS) -> list[str]:
    """Every sentence of the BCS corpus files, in a fixed order (empty when absent)."""
    bcs = corpus / "bcs"
    found: list[str] = []
    for path in sorted(bcs.glob("lingua/*-sentences.txt")):
        found.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    for path in sorted(bcs.glob("ud/*.conllu")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                found.append(line.removeprefix("# text = ").strip())
    return [s for s in dict.fromkeys(found) if len(s.split()) >= 4]


def distractor_posts(n: int, corpus: Path = CORPUS) -> list[dict]:
    """``n`` everyday posts from real sentences, the same ones for the same ``n``."""
    sentences = corpus_sentences(corpus)
    if n and not sentences:
        raise SystemExit(f"no BCS sentences under {corpus / 'bcs'} for --distractors")
    rng = random.Random(n)
    posts = []
    for i in range(n):
        chosen = rng.sample(sentences, rng.randint(3, 7))
        title = " ".join(chosen[0].split()[:8]).rstrip(".,;:")
        posts.append(
            {
                "key": f"d{i:05d}",
                "category": rng.choice(_CATEGORIES),
                "title": title,
                "body": " ".join(chosen),
            }
        )
    return posts


def mixed(posts: list[dict], distractors: list[dict]) -> list[dict]:
    """The dev-set posts shuffled in among the distractors (seeded: repeatable)."""
    out = list(distractors)
    rng = random.Random(len(distractors) + len(posts))
    for post in posts:
        out.insert(rng.randint(0, len(out)), post)
    return out


def load_posts(posts: list[dict]) -> dict[int, str]:
    """Create every post as a new thread through the forum service; thread id -> key.

    One commit for all of them, inside the backend's bulk write, so thousands of
    distractors are indexed in one go rather than one index commit per post.
    """
    from flask import current_app

    from board.auth.service import create_user
    from board.cli import seed_categories
    from board.extensions import db
    from board.forum import service as forum
    from board.models import Category
    from board.search import get_backend
    from board.search.indexing import drain

    seed_categories()
    user = create_user("relevance@example.ba", "Relevance", "a long bench password", confirmed=True)
    user.approved_posts = 10
    db.session.commit()
    categories = {c.slug: c for c in db.session.scalars(db.select(Category))}
    started = []
    with get_backend().bulk():
        for post in posts:
            category = categories[post["category"]]
            started.append((forum.start_thread(user, category, post["title"], post["body"]), post))
        db.session.commit()
    threads = {first.thread_id: post["key"] for first, post in started}
    result = drain(current_app._get_current_object(), wait=30)  # whatever after-commit left
    if not result.complete:
        raise SystemExit(f"the search outbox did not drain: {result.errors}")
    return threads


def ranked_threads(client, q: str) -> list[int]:
    """Distinct thread ids in result order, as the API returns them."""
    response = client.get("/api/v1/search", query_string={"q": q})
    if response.status_code != 200:
        raise SystemExit(f"/api/v1/search?q={q!r} answered {response.status_code}")
    out: list[int] = []
    for result in response.get_json()["results"]:
        if result["thread_id"] not in out:
            out.append(result["thread_id"])
    return out


def score(queries: list[dict], threads: dict[int, str], client, show: bool) -> dict[str, Tally]:
    """Run every query; tallies overall, per phenomenon and per combined part."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    for query in queries:
        keys = [threads.get(t, "?") for t in ranked_threads(client, query["q"])][:TOP]
        relevant = query["relevant"]
        ranks = [keys.index(k) + 1 for k in relevant if k in keys]
        passed = len(ranks) == len(relevant)
        args = (passed, len(ranks) / len(relevant), 1 / min(ranks) if ranks else 0.0)
        phenomenon = query["phenomenon"]
        tallies["overall"].add(*args)
        if phenomenon.startswith("combined:"):
            tallies[phenomenon].add(*args)
            for part in phenomenon.removeprefix("combined:").split("+"):
                tallies[f"part: {part}"].add(*args)
        else:  # v2: one label or several, counted toward each
            for label in phenomenon.split(","):
                tallies[label.strip()].add(*args)
        if show and (not passed or min(ranks) > 1):
            status = "MISS" if not passed else f"RANK {min(ranks)}"
            print(f"{status} [{phenomenon}] {query['q']!r}: want {relevant}, got {keys}")
    return tallies


def passes_targets(tallies: dict[str, Tally]) -> list[str]:
    """The targets the set misses (empty when all are met): recall@5 >= 0.95, MRR >= 0.90,
    every phenomenon (and every combined part) >= 0.90."""
    misses = []
    overall = tallies["overall"]
    if sum(overall.passed) / len(overall.passed) < TARGET_RECALL:
        misses.append(f"overall recall@5 < {TARGET_RECALL}")
    if sum(overall.rr) / len(overall.rr) < TARGET_MRR:
        misses.append(f"overall MRR < {TARGET_MRR}")
    for name, tally in tallies.items():
        if name.startswith("combined:"):
            continue
        if sum(tally.passed) / len(tally.passed) < TARGET_LABEL:
            misses.append(f"{name} recall@5 < {TARGET_LABEL}")
    return misses
