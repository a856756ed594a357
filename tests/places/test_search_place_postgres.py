"""``place=`` on the PostgreSQL search backend: the same filter, the same totals."""

from __future__ import annotations

import pytest

from tests.conftest import PG_URL
from tests.places.test_pages import test_search_place_filters_threads_with_right_totals as check

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs BOARD_TEST_DATABASE_URL")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SEARCH_BACKEND": "postgres"}


def test_search_place_on_postgres(client, places):
    check(client, places)
