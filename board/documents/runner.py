"""Run one extraction in a child process with a wall-clock and a memory limit.

A child process, not a thread: a parser stuck in a loop or ballooning on a hostile file
can be killed without harming the web worker, and ``RLIMIT_AS`` applies to it alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CHILD = Path(__file__).resolve().parent / "extract" / "child.py"


@dataclass
class Outcome:
    """Pages of text, or the code of the reason there are none.

    ``partial`` is set when the limits stopped the reader after some pages with text:
    those pages are kept (and indexed), and ``error`` says what stopped it.
    """

    pages: list[str] = field(default_factory=list)
    error: str = ""
    detail: str = ""
    partial: bool = False

    @property
    def ok(self) -> bool:
        return not self.error or self.partial


def run_extraction(kind: str, path: str, *, timeout: float, memory_mb: int) -> Outcome:
    """Extract ``path`` (of sniffed ``kind``) in a child; never raises for a bad file."""
    command = [sys.executable, str(CHILD), kind, path, str(memory_mb)]
    # A minimal environment: a parser exploited by a hostile file finds no secrets there
    # (BOARD_SECRET_KEY, BOARD_DATABASE_URL, mail passwords live in the parent's).
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
            command,
            capture_output=True,
            timeout=timeout,
            cwd=str(ROOT),
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        pages, _end = _read(expired.stdout or b"")
        return _stopped(pages, "timeout", f"more than {timeout:g} s")
    pages, end = _read(done.stdout)
    if end is None:
        stderr = done.stderr.decode("utf-8", "replace")
        reason = "too_large" if "MemoryError" in stderr or done.returncode < 0 else "damaged"
        return _stopped(pages, reason, f"exit {done.returncode}: {stderr[-300:]}")
    if "error" in end:
        return _stopped(pages, end["error"], end.get("detail", ""))
    return Outcome(pages=pages)


def _read(output: bytes) -> tuple[list[str], dict | None]:
    """The pages the child wrote, and its final message (None if it never wrote one)."""
    pages: list[str] = []
    for line in output.split(b"\n"):
        try:
            message = json.loads(line)
        except ValueError:
            continue  # the last line may be cut by a kill
        if "page" in message:
            pages.append(str(message["page"]))
        else:
            return pages, message
    return pages, None


def _stopped(pages: list[str], error: str, detail: str) -> Outcome:
    """Keep what was read before a time or memory limit stopped the reader."""
    if error in ("timeout", "too_large") and any(p.strip() for p in pages):
        return Outcome(pages=pages, error=error, detail=detail, partial=True)
    return Outcome(error=error, detail=detail)
