"""The map loaded from the real data file, for tests that need places."""

from __future__ import annotations

import pytest

from board.places import service


@pytest.fixture
def places(app):
    """Load the administrative map (as ``flask board places load`` does)."""
    service.load_map()
    return service


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the English messages (the Bosnian ones are checked by hand)."""
    client.set_cookie("lang", "en")
