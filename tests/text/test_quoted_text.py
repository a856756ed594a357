"""A post's own words and the words it quotes, told apart for search."""

from __future__ import annotations

from board.text.markup import own_and_quoted_text, render


def test_quoted_lines_nested_ones_included_are_set_apart_from_the_authors_words():
    body = "**Amra:**\n> Kako se računa kvorum?\n> > Pitali smo i prošle godine.\n\nNe znam ni ja."
    own, quoted = own_and_quoted_text(render(body))
    assert "Amra:" in own and "Ne znam ni ja." in own
    assert "kvorum" not in own and "prošle" not in own
    assert "Kako se računa kvorum?" in quoted and "Pitali smo i prošle godine." in quoted


def test_a_post_without_quotes_is_all_its_own():
    own, quoted = own_and_quoted_text(render("Kvorum je većina."))
    assert (own, quoted) == ("Kvorum je većina.", "")
