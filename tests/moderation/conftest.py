"""A small world for moderation tests: a category of association A with a reported post."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def cat_a(app, association_a):
    return factories.make_category("cat-a", name="Kategorija A", association=association_a)


@pytest.fixture
def cat_a2(app, association_a):
    return factories.make_category("cat-a2", name="Druga kategorija A", association=association_a)


@pytest.fixture
def cat_b(app, association_b):
    return factories.make_category("cat-b", name="Kategorija B", association=association_b)


@pytest.fixture
def thread_a(cat_a, member):
    return factories.make_thread(member, cat_a, title="Budžet mjesne zajednice")


@pytest.fixture
def reply_a(thread_a, other_member):
    return factories.make_reply(thread_a, other_member, "Kupite jeftine satove na spam.example!")


@pytest.fixture
def flaggers(app):
    return [factories.make_user(display_name=f"Prijavitelj {i}") for i in range(3)]


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read the English texts, whatever the Bosnian catalogue says."""
    client.set_cookie("lang", "en")
