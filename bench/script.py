"""What the reader's script costs: transliterating a 20-post thread page's members' words.

    .venv/bin/python bench/script.py [--rounds 200]

Builds 20 posts of real BCS web sentences (``../shared/corpus/bcs/lingua``, or a built-in
paragraph when the corpus is absent) with Markdown emphasis, links and code, renders and
sanitises them as the board does, then times, per page: all 20 bodies, 20 titles and 20
author names through ``html_to_script``/``to_script`` to Cyrillic (Latin sources) and to
Latin (Cyrillic sources). The target is under 1 ms per page.

*cold* is a page none of whose posts has been converted since the process started;
*warm* is every later view (results are cached by content, so a post is converted once
per script). Times are CPU time of this process (``time.process_time``), so a machine
busy with other work inflates them less than wall time would; the load is printed first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = Path(os.environ.get("BOARD_TEST_CORPUS") or ROOT.parent / "shared" / "corpus") / "bcs"
FALLBACK = (
    "Savjet mjesne zajednice je na sjednici usvojio prijedlog budžeta i zaključio da se "
    "zbor građana održi u srijedu. Ljudi su tražili da se odluka objavi na oglasnoj ploči."
)


def sentences(name: str) -> list[str]:
    path = CORPUS / "lingua" / name
    if path.exists():
        return [s for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
    return [FALLBACK] * 200


def page(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """20 sanitised bodies (~4 sentences each, as a busy thread has), titles and names."""
    from board.text.markup import render

    bodies, titles, names = [], [], []
    for n in range(20):
        chunk = lines[n * 4 : n * 4 + 4]
        markdown = (
            f"{chunk[0]} **{chunk[1][:40]}** {chunk[1][40:]}\n\n"
            f"> {chunk[2]}\n\n- {chunk[3]}\n- https://mreza.ba/t/{n}\n\n`kod {n}`\n"
        )
        bodies.append(render(markdown))
        titles.append(chunk[0][:80])
        names.append(" ".join(chunk[1].split()[:2]))
    return bodies, titles, names


def time_page(bodies, titles, names, script: str, rounds: int, cold: bool) -> list[float]:
    from board.text.script import html_to_script, to_script

    timings = []
    for _ in range(rounds):
        if cold:  # first view of the page since the process started
            html_to_script.cache_clear()
            to_script.cache_clear()
        start = time.process_time()
        for body, title, name in zip(bodies, titles, names, strict=True):
            html_to_script(body, script)
            to_script(title, script)
            to_script(name, script)
        timings.append((time.process_time() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    cases = [
        ("Latin posts (bs) -> Cyrillic", sentences("bs-sentences.txt"), "cyrillic"),
        ("Latin posts (hr) -> Cyrillic", sentences("hr-sentences.txt"), "cyrillic"),
        ("Cyrillic posts (sr) -> Latin", sentences("sr-sentences.txt"), "latin"),
    ]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'case':34} {'chars':>7} {'cold median ms':>15} {'warm median ms':>15} {'warm p95':>9}")
    for label, lines, script in cases:
        bodies, titles, names = page(lines)
        chars = sum(map(len, bodies + titles + names))
        cold = statistics.median(time_page(bodies, titles, names, script, args.rounds // 4, True))
        warm = sorted(time_page(bodies, titles, names, script, args.rounds, False))
        p95 = warm[int(len(warm) * 0.95) - 1]
        print(f"{label:34} {chars:>7} {cold:>15.3f} {statistics.median(warm):>15.3f} {p95:>9.3f}")


if __name__ == "__main__":
    main()
