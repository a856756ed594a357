"""Old import path of the Whoosh backend, kept only for indexes built before the move.

A Whoosh index pickles its schema, which names ``BcsTokenizer`` by the module it lived
in when the index was created: ``board.search.whoosh_backend`` (a module, then a
package) or ``board.search.whoosh_backend.schema``. Both resolve here, so such an index
opens without a reindex. New code imports ``board.search.backends.whoosh``.
"""

from board.search.backends.whoosh.schema import BcsTokenizer

__all__ = ["BcsTokenizer"]
