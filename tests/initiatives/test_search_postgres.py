"""``type=initiative|practice`` on the PostgreSQL search backend (the Whoosh backend is
covered by the other initiative tests): the same thread-id filter, the same answers."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import PG_URL
from tests.initiatives.conftest import initiative

pytestmark = pytest.mark.skipif(
    not PG_URL.startswith("postgres"),
    reason="the PostgreSQL backend needs BOARD_TEST_DATABASE_URL=postgresql://…",
)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SEARCH_BACKEND": "postgres"}


def _titles(client, **params) -> list[str]:
    response = client.get("/api/v1/search", query_string={"q": "zvjezdarnica", **params})
    assert response.status_code == 200
    return [r["title"] for r in response.get_json()["results"]]


def test_initiative_and_practice_filters(client, login, member, admin, new_initiative):
    login(member)
    thread_id = new_initiative(title="Inicijativa o zvjezdarnici")
    assert initiative(thread_id) is not None
    practice = factories.make_thread(member, title="Praksa zvjezdarnice")
    factories.make_thread(member, title="Obična tema o zvjezdarnici")
    login(admin)
    client.post(f"/t/{practice.id}/practice", data={"summary": "Dobro."})
    assert set(_titles(client, type="initiative")) == {"Inicijativa o zvjezdarnici"}
    assert set(_titles(client, type="practice")) == {"Praksa zvjezdarnice"}
    assert len(_titles(client)) == 3
