"""Werkzeug compiles two URL builders per route with ``ast`` and ``compile`` each time an
app is created: ~1,000 compilations and 0.1–0.2 s for every test's fresh app, some ten
minutes over a CI run. The code it generates depends only on the rule's parsed parts,
its defaults and ``append_unknown``, and reads the rule's converters through ``self`` at
call time, so the tests reuse one compiled builder per distinct rule. Test-only: a
served board creates its app once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import rules

_original = rules.Rule._compile_builder
_builders: dict[tuple, Callable[..., Any]] = {}


def _cached_compile_builder(self: rules.Rule, append_unknown: bool = True):
    converters = sorted((name, type(c).__qualname__) for name, c in self._converters.items())
    defaults = repr(sorted((self.defaults or {}).items()))
    key = (tuple(self._trace), tuple(converters), defaults, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _original(self, append_unknown)
    return builder


def install() -> None:
    """Reuse compiled URL builders across the apps of one test process."""
    rules.Rule._compile_builder = _cached_compile_builder
