"""DOC (Word 97–2003) text with ``antiword``, where it is installed (Debian package
``antiword``). Without it the file is kept and its text reported as not read
(``no_reader``). antiword runs under this child's memory limit and its own time limit."""

from __future__ import annotations

import shutil
import subprocess

from board.documents.extract import ExtractionError

TIMEOUT = 50  # seconds; below the parent's limit, so a stuck antiword is not orphaned


def extract(path: str) -> list[str]:
    """A DOC has no fixed pages here: its whole text is page 1."""
    antiword = shutil.which("antiword")
    if antiword is None:
        raise ExtractionError("no_reader", "antiword is not installed")
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program, the path as one argument
            [antiword, "-m", "UTF-8.txt", "-w", "0", "--", path],
            capture_output=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ExtractionError("timeout", "antiword") from error
    message = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        code = "encrypted" if "encrypt" in message.lower() else "damaged"
        raise ExtractionError(code, message[:300])
    return [done.stdout.decode("utf-8", "replace")]
