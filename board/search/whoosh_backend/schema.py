"""Old path of ``BcsTokenizer`` named by pickled index schemas (see the package docstring)."""

from board.search.backends.whoosh.schema import BcsTokenizer

__all__ = ["BcsTokenizer"]
