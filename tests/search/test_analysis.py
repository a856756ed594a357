"""BCS analysis: one word written any way a practitioner writes it gives the same terms."""

from __future__ import annotations

import pytest

from board.search import analysis
from board.text.script import cyrillic_to_latin, has_cyrillic, latin_to_cyrillic


def same_word(a: str, b: str) -> bool:
    """True when a query for ``a`` matches a post containing ``b`` (non-prefix terms)."""
    query = analysis.word_query(a)
    return query is not None and bool(query.terms & set(analysis.word_forms(b)))


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Записник са сједнице", "Zapisnik sa sjednice"),
        ("Љубљана, Његош, џеп, ђак, ћуприја", "Ljubljana, Njegoš, džep, đak, ćuprija"),
        ("ЉУБЉАНА", "LJUBLJANA"),
        ("Џемат", "Džemat"),
    ],
)
def test_cyrillic_becomes_latin_letter_for_letter(cyrillic, latin):
    assert cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("ljiljan njiva džep", "љиљан њива џеп"),
        ("Ljubljana", "Љубљана"),
        ("nadživjeti injekcija podžupan", "надживјети инјекција поджупан"),
        ("djeca odjel", "дјеца одјел"),  # dj is d+j, not ђ
        ("Wi-Fi mreža", "Wi-Fi мрежа"),  # foreign words stay Latin
    ],
)
def test_latin_becomes_cyrillic_reading_digraphs(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic
    assert cyrillic_to_latin(cyrillic) == latin


def test_script_detection():
    assert has_cyrillic("izvještaj о раду") and not has_cyrillic("izvještaj o radu")


@pytest.mark.parametrize(
    ("query", "post"),
    [
        ("записник", "zapisnik"),
        ("zapisnik", "ЗАПИСНИК"),
        ("sjednica", "sednica"),  # jat, both ways
        ("sednice", "sjednicama"),
        ("primedbe", "primjedbe"),
        ("savjet", "savet"),
        ("negdje", "negde"),  # dje, which Snowball alone reads as đe
        ("ucesce", "učešće"),  # diacritics, both ways
        ("učešće", "ucesce"),
        ("gradjana", "građana"),  # đ typed as dj ...
        ("gradana", "građana"),  # ... or as d
        ("građana", "gradjana"),
        ("izvjestaj", "izvještaj"),
        ("извештај", "izvještaj"),  # script + jat
        ("zapisnika", "zapisnik"),  # inflection
        ("ostavke", "ostavku"),
        ("ＺＡＰＩＳＮＩＫ", "zapisnik"),  # NFKC
        ("učešće", "uc\u030ces\u030cc\u0301e"),  # decomposed diacritics
    ],
)
def test_spellings_of_one_word_match(query, post):
    assert same_word(query, post)


def test_jat_is_unified_by_the_stemmer_inside_words():
    for ije, e in [("mjesne", "mesne"), ("rijeke", "reke"), ("cijena", "cena"), ("vrijeme", "vreme"),
                   ("sljedećoj", "sledećoj"), ("izmjene", "izmene"), ("predsjednik", "predsednik")]:  # fmt: skip
        assert analysis.word_forms(ije) == analysis.word_forms(e), (ije, e)


def test_unrelated_words_stay_apart():
    assert not same_word("zapisnik", "zakon")
    assert not same_word("sjednica", "statut")


def test_stop_words_are_dropped_but_their_lookalikes_are_not():
    assert analysis.word_query("već") is None
    assert analysis.word_query("vec") is None
    assert analysis.word_query("vijeće") is not None  # stems to "već" but is a content word
    assert [q.word for q in analysis.query_words("da li je već bilo vijeće")] == ["vijeće"]


def test_stem_inconsistency_is_covered_by_a_stem_prefix():
    """Snowball: izvještaj -> izvešta, izvještaja -> izveštaj; the prefix bridges them."""
    query = analysis.word_query("izvještaja")
    post_forms = analysis.word_forms("izvještaj")
    prefixes = [a.term for a in query.alternatives if a.prefix]
    assert any(f.startswith(p) for f in post_forms for p in prefixes)
    weights = {a.term: a.weight for a in query.alternatives if not a.prefix}
    assert all(a.weight < max(weights.values()) for a in query.alternatives if a.prefix)


def test_exact_spelling_weighs_more_than_folded():
    query = analysis.word_query("učešće")
    weights = {a.term: a.weight for a in query.alternatives if not a.prefix}
    assert weights["ucesc"] == analysis.WEIGHT_FOLDED
    assert weights["učešć"] == analysis.WEIGHT_EXACT  # added on top for a diacritic match


@pytest.mark.parametrize(
    ("query", "post"),
    [
        ("proračun", "budžet"),
        ("budžeta", "proračuna"),
        ("općina", "opština"),
        ("sudjelovanje", "učešće"),
        ("tjedan", "sedmica"),
        ("izvješće", "izvještaj"),
        ("vijeće", "savjet"),
        ("točka", "tačka"),
        ("natječaj", "konkurs"),
        ("septembra", "rujna"),
        ("siječanj", "januar"),
        ("tisuća", "hiljada"),
        ("zrakoplov", "avion"),
        ("kruh", "hljeb"),
    ],
)
def test_lexical_variants_expand_at_query_time(query, post):
    assert same_word(query, post)
    assert same_word(post, query)


def test_variants_weigh_less_than_the_word_itself():
    query = analysis.word_query("proračun")
    weights = {a.term: a.weight for a in query.alternatives if not a.prefix}
    assert weights["budzet"] < weights["proracun"]
    savjet = {a.term: a.weight for a in analysis.word_query("savjet").alternatives}
    assert savjet["vec"] == analysis.WEIGHT_AMBIGUOUS  # savjet is also "advice"


def test_variant_table_is_large_well_formed_and_sourced():
    lines = [
        line.split("\t")
        for line in analysis.VARIANTS_PATH.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) >= 300
    for cols in lines:
        assert len(cols) == 4, cols
        words, kind, source, note = cols
        assert len(words.split()) >= 2, words
        assert kind in {"regional", "synonym", "ambiguous"}, cols
        assert source.strip() and note.strip(), cols
        stems = {analysis.word_forms(w)[0] for w in words.split() if analysis.word_forms(w)}
        assert len(stems) >= 2, f"{words}: one stem, the analysis already joins them"
    table = analysis.load_variants(analysis.VARIANTS_PATH)
    for form, others in table.items():  # every expansion goes both ways
        for other, _weight in others:
            assert form in dict(table.get(other, ())), (form, other)


def test_index_tokens_keep_original_offsets_and_positions():
    text = "Građani i ЗАПИСНИК"
    tokens = list(analysis.index_tokens(text))
    assert [text[t.start : t.end] for t in tokens] == ["Građani", "ЗАПИСНИК"]
    assert tokens[0].forms[:2] == ("gradjan", "gradan") and "građan" in tokens[0].forms
    assert [t.pos for t in tokens] == [0, 2]  # the stop word leaves a gap


def test_parts_are_far_apart_so_phrases_do_not_span_them():
    text = analysis.PART_SEPARATOR.join(["Kvorum", "rad savjeta"])
    tokens = list(analysis.index_tokens(text))
    assert tokens[1].pos - tokens[0].pos > analysis.PART_GAP
    assert text[tokens[1].start : tokens[1].end] == "rad"


def test_phrase_terms_mark_stop_word_gaps():
    assert analysis.phrase_terms("kvorum za rad") == ["kvorum", None, "rad"]


def test_prefix_forms_cover_jat_and_diacritics():
    assert "izvest" in analysis.prefix_forms("izvješt")
    assert "zapis" in analysis.prefix_forms("запис")


def test_every_row_of_the_new_tables_is_reviewed_data_with_a_known_source():
    """Each row names sources listed in data/README.md and says what it means."""
    import re

    from board.search.analysis import (
        ABBREVIATIONS_PATH,
        DATA,
        QUESTION_WORDS_PATH,
        SYNONYMS_PATH,
        read_table,
    )

    known = set(re.findall(r"^\| `([A-Z-]+)` \|", (DATA / "README.md").read_text(), re.M))
    kinds = {
        ABBREVIATIONS_PATH: (5, 2, {"citation", "abbreviation"}),
        SYNONYMS_PATH: (4, 1, {"synonym", "regional", "ambiguous"}),
        QUESTION_WORDS_PATH: (4, 1, {"question", "modal", "filler"}),
    }
    for path, (columns, kind_at, allowed) in kinds.items():
        for row in read_table(path):
            assert len(row) == columns, (path.name, row)
            assert row[kind_at] in allowed, (path.name, row)
            assert set(row[kind_at + 1].split()) <= known, (path.name, row)
            assert row[-1], (path.name, row)


def test_citations_and_numbers_are_the_same_terms_in_every_spelling():
    from board.search.analysis import index_tokens

    def forms(text: str) -> list[tuple[str, ...]]:
        return [t.forms for t in index_tokens(text)]

    assert forms("čl. 12") == forms("član 12.") == forms("članom 12")
    assert forms("49/06") == forms("49/2006")
    assert forms("5.000 KM") == forms("5000 KM")
    assert forms("30 posto") == forms("30%")
    assert forms("15.3.2025") == [("15",), ("3",), ("2025",)]  # a date is not a thousand
