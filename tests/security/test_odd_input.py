"""Numbers from the request are ASCII digits or nothing: Unicode digits, odd hosts and
naughty strings in query parameters get a 4xx or a normal page, never a 500."""

from __future__ import annotations

import pytest

from board.incoming import parse_int
from tests import factories
from tests.conftest import CORPUS
from tests.security import corpus

# What str.isdigit() accepts and int() refuses or misreads, and friends.
ODD = ("²", "①", "₀₁₂", "⁰⁴⁵", "٣", "१२", "１２", " 7", "+7", "7_0", "-1", "1e3", "0x1f", "9" * 40)
ODD += ("", "\x00", "' OR 1=1 --", "%00", "<script>", "../../etc/passwd", "NaN", "∞")
PARAMS = ("page", "quote", "year", "author", "category", "from", "to", "type", "sort", "q")
PAGES = ("/", "/c/regulation", "/search", "/api/v1/search", "/documents", "/mod/log")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("007", 7), ("²", None), ("①", None), ("₀₁₂", None), ("１２", None),
     (" 7", None), ("+7", None), ("7_0", None), ("", None), ("9" * 40, None)],
)  # fmt: skip
def test_parse_int_accepts_ascii_digits_only(value, expected):
    assert parse_int(value) == expected


def test_the_probe_requests_are_not_500(client, login, member):
    thread = factories.make_thread(member)
    login(member)
    for url in (
        "/?page=²",
        "/c/regulation?page=²",
        f"/t/{thread.id}?page=①",
        f"/t/{thread.id}/reply?quote=①",
        "/documents?year=₀₁₂",
        "/search?q=zbor&author=⁰⁴⁵",
        "/search?q=zbor&page=²",
        "/api/v1/search?q=zbor&page=²",
        "/mod/log?page=²",
    ):
        assert client.get(url).status_code < 500, url


@pytest.mark.parametrize("host", ["a..b", "..", "a b", "ü.example", "[::1", "x:99999", ""])
def test_odd_host_headers_get_a_400_page(client, host):
    response = client.get("/t/1", headers={"Host": host})
    assert response.status_code == 400
    assert "<h1>" in response.get_data(as_text=True)


def _sweep(client, values, one_at_a_time: bool) -> list[tuple[str, str, int]]:
    failures = []
    for page in PAGES:
        for value in values:
            queries = (
                [{"q": "zbor", name: value} for name in PARAMS]
                if one_at_a_time
                else [dict.fromkeys(PARAMS, value)]
            )
            for query in queries:
                response = client.get(page, query_string=query)
                if response.status_code >= 500:
                    failures.append((page, str(query), response.status_code))
    return failures


def test_odd_values_in_every_query_parameter(client, login, moderator_a):
    login(moderator_a)
    assert _sweep(client, ODD, one_at_a_time=False) == []


@pytest.mark.slow
@pytest.mark.skipif(not (CORPUS / "naughty").exists(), reason="needs ../shared/corpus")
def test_naughty_strings_in_every_query_parameter(client):
    assert _sweep(client, corpus.naughty()[::3], one_at_a_time=False) == []
    assert _sweep(client, corpus.naughty()[::40], one_at_a_time=True) == []
