"""Dates read as people say them, in the reader's language, with the exact time (no
seconds) in the ``<time>`` element's title and a valid ``datetime`` attribute."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from board.i18n import humantime, localdate, timetag
from tests import factories

# 12:00 in Sarajevo (UTC+1 in winter).
NOW = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)


@pytest.fixture
def bosnian(app):
    with app.test_request_context(environ_base={"HTTP_COOKIE": "lang=bs"}):
        yield


@pytest.fixture
def english(app):
    with app.test_request_context(environ_base={"HTTP_COOKIE": "lang=en"}):
        yield


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(seconds=20), "upravo sada"),
        (timedelta(minutes=5), "prije 5 minuta"),
        (timedelta(hours=3), "prije 3 sata"),
        (timedelta(hours=7), "danas u 05:00"),
        (timedelta(hours=21, minutes=55), "jučer u 14:05"),
        (timedelta(days=9), "23. novembar"),
        (timedelta(days=400), "28. okt 2025."),
    ],
)
def test_times_read_as_people_say_them_in_bosnian(bosnian, ago, expected):
    assert humantime(NOW - ago, now=NOW) == expected


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(hours=3), "3 hours ago"),
        (timedelta(hours=21, minutes=55), "yesterday at 2:05\u202fPM"),
    ],
)
def test_times_read_as_people_say_them_in_english(english, ago, expected):
    assert humantime(NOW - ago, now=NOW) == expected


def test_the_exact_time_has_no_seconds(bosnian):
    assert localdate(datetime(2026, 12, 1, 13, 5, 42, 123456, tzinfo=UTC)) == (
        "1. decembar 2026. u 14:05"
    )


def test_time_element_has_a_valid_datetime_and_the_exact_time_as_title(bosnian):
    tag = timetag(datetime(2026, 12, 1, 13, 5, 42, 123456, tzinfo=UTC), now=NOW)
    assert str(tag) == (
        '<time datetime="2026-12-01T13:05:42Z" title="1. decembar 2026. u 14:05">'
        "jučer u 14:05</time>"
    )


def test_thread_page_dates_have_no_fractional_seconds(client, member):
    thread = factories.make_thread(member, replies=2)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    stamps = re.findall(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', page)
    assert len(stamps) == 3
    for machine, exact, spoken in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", machine)
        assert not re.search(r"\d\d:\d\d:\d\d", exact)
        assert spoken.strip() == "upravo sada"
