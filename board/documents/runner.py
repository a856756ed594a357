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
    """Pages of text, or the code of the reason there are none."""

    pages: list[str] = field(default_factory=list)
    error: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def run_extraction(kind: str, path: str, *, timeout: float, memory_mb: int) -> Outcome:
    """Extract ``path`` (of sniffed ``kind``) in a child; never raises for a bad file."""
    command = [sys.executable, str(CHILD), kind, path, str(memory_mb)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell
            command,
            capture_output=True,
            timeout=timeout,
            cwd=str(ROOT),
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Outcome(error="timeout", detail=f"more than {timeout:g} s")
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        reason = "too_large" if "MemoryError" in stderr or done.returncode < 0 else "damaged"
        return Outcome(error=reason, detail=f"exit {done.returncode}: {stderr[-300:]}")
    try:
        result = json.loads(done.stdout)
    except ValueError:
        return Outcome(error="damaged", detail="no result from the extractor")
    if "error" in result:
        return Outcome(error=result["error"], detail=result.get("detail", ""))
    return Outcome(pages=list(result["pages"]))
