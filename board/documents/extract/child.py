"""The child process that extracts one file: ``python board/documents/extract/child.py``.

Run by path, not with ``-m``: importing the ``board`` package would load the whole web
app (0.7 s per file); stub parent packages let it import only the extractors. It caps its own address space first (``RLIMIT_AS``), then extracts and writes one JSON
object per line to stdout: ``{"page": text}`` for each page as it is read, then
``{"end": true}`` or ``{"error": code, "detail": "..."}``. The
parent enforces the wall-clock limit by killing it.
"""

from __future__ import annotations

import json
import resource
import sys
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent


def _prepare_imports() -> None:
    """Import ``board.documents.extract`` without running the app's package inits."""
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(ROOT))
    for name, path in (("board", ROOT / "board"), ("board.documents", HERE.parent)):
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = [str(path)]
            sys.modules[name] = package


def _emit(message: dict) -> None:
    """One JSON object per line, flushed, so the parent keeps pages read before a kill."""
    sys.stdout.buffer.write(json.dumps(message).encode("ascii") + b"\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    """Arguments: KIND PATH MEMORY_MB."""
    kind, path, memory_mb = argv[0], argv[1], int(argv[2])
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.setrecursionlimit(5_000)
    _prepare_imports()
    from board.documents.extract import ExtractionError, extract

    try:
        for page in extract(kind, path):
            _emit({"page": page})
        result: dict = {"end": True}
    except ExtractionError as error:
        result = {"error": error.code, "detail": error.detail[:500]}
    except MemoryError:
        result = {"error": "too_large", "detail": "memory limit reached"}
    except RecursionError:
        result = {"error": "unsafe", "detail": "nesting too deep"}
    except Exception as error:  # any other failure inside a third-party parser
        result = {"error": "damaged", "detail": repr(error)[:500]}
    _emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
