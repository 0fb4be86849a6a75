"""Entity typing, the state lexicon, resolution across documents, and offsets."""

from __future__ import annotations

from pathlib import Path

import bilateral
from bilateral.nlp.lexicon import load
from bilateral.nlp.mentions import mentions
from bilateral.nlp.pipeline import build


def _mentions(text: str) -> dict[str, str]:
    return {m.text: m.type for m in mentions(build()(text), "t")}


def test_state_lexicon_names_demonyms_capitals() -> None:
    lex = load()
    assert len(lex.states) > 190
    assert {lex.state_for(n) for n in ("China", "Chinese", "PRC", "People's Republic of China")} == {"CHN"}
    assert lex.state_for("Kosovo") == "XKX" and lex.state_for("Yugoslavia") == "YUG"
    found = {m.text: (m.type, m.iso3) for m in mentions(build()("Hungarian officials met in Budapest."), "t")}
    assert found["Hungarian"] == ("state", "HUN") and found["Budapest"] == ("place", "HUN")
    # A region named after a state is a place, not the state ("America" alone is the United States).
    regional = mentions(build()("Latin American buyers in South America and the Indian Ocean; America."), "t")
    assert [(m.text, m.type, m.iso3) for m in regional] == [
        ("Latin American", "place", None),
        ("South America", "place", None),
        ("Indian Ocean", "place", None),
        ("America", "state", "USA"),
    ]
    # A typographic apostrophe does not turn the People's Republic into the Republic of China.
    typographic = mentions(build()("The People\u2019s Republic of China signed it."), "t")
    assert [(m.text, m.iso3) for m in typographic if m.type == "state"] == [
        ("People\u2019s Republic of China", "CHN")
    ]


def test_weapons_orgs_exercises_and_titles() -> None:
    found = _mentions(
        "Senior Colonel Li Wei of the Hungarian Institute for Defence Studies said the army bought "
        "four J-10C jets and a Bayraktar TB2 before the drill, named Steel Shield 2024, began."
    )
    assert found["J-10C"] == "weapon" and found["Bayraktar TB2"] == "weapon"
    assert found["Li Wei"] == "person"  # the rank is stripped
    assert found["Hungarian Institute for Defence Studies"] == "organisation"
    assert found["Steel Shield 2024"] == "exercise"


def test_resolution_merges_variants_and_keeps_people_apart(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "President Aleksandar Vučić met Xi Jinping in Belgrade. Vučić said the talks went well.\n"
        "Milan Petrović, who works for the Novi Sad Centre for Regional Studies, called it historic.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Aleksandar Vucic visited Beijing in May. Staff of the Novi Sad Center for Regional Studies "
        "disagreed. Ana Petrović, a journalist, wrote that the visit was short.\n",
        encoding="utf-8",
    )
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.analyse() if kb.ingest([tmp_path]).ok else None
        people = {e.name: e for e in kb.entities("person")}
        orgs = kb.entities("organisation")
        texts = {d.id: d.text for d in kb.documents()}
        for e in kb.entities():
            for m in e.mentions:
                assert texts[m.doc][m.start : m.end] == m.text
    assert any("Vučić" in name or "Vucic" in name for name in people)
    assert "Milan Petrović" in people
    assert "Ana Petrović" not in people["Milan Petrović"].aliases  # same surname, not merged
    bcsp = [o for o in orgs if "Regional Studies" in o.name]
    assert len(bcsp) == 1 and len(bcsp[0].aliases) == 2


def test_corpus_entities_have_exact_offsets(corpus: Path, tmp_path: Path) -> None:
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.ingest([corpus])
        kb.analyse()
        texts = {d.id: d.text for d in kb.documents()}
        found = kb.entities()
    assert found
    by_name = {e.name: e for e in found}
    assert by_name["Vuk Vuksanović"].type == "person"
    assert by_name["Serbia"].iso3 == "SRB"
    for e in found:
        for m in e.mentions:
            assert texts[m.doc][m.start : m.end] == m.text


def test_a_name_recognised_once_is_a_person_everywhere_in_the_document(tmp_path: Path) -> None:
    from bilateral.nlp.mentions import mentions, propagate_names
    from bilateral.nlp.pipeline import build

    text = (
        "President Xi Jinping arrived in Belgrade on Tuesday.\n"
        "On Wednesday Xi Jinping toured a factory with Aleksandar Vučić, who later thanked Xi Jinping "
        "for the visit.\n"
    )
    doc = build()(text)
    found = propagate_names(doc, mentions(doc, "d"))
    people = [(m.start, m.text) for m in found if m.type == "person"]
    starts = [text.find("Xi Jinping", i) for i in (0, 60, 120)]
    assert all((s, "Xi Jinping") in people for s in starts)
    assert all(text[m.start : m.end] == m.text for m in found)


def test_a_family_name_written_first_is_the_person_alone_and_a_name_is_one_mention() -> None:
    """ "Wang said" after "Wang Yi" (the lexicon knows Wang as a family name written first), while
    a name's own words are not mentions of their own beside it."""
    from bilateral.nlp.mentions import mentions, propagate_names
    from bilateral.nlp.pipeline import build

    text = (
        "Vietnamese President Tran Quoc Bao received Chinese Foreign Minister Wang Yi in Hanoi.\n"
        "Wang said Beijing was ready to deepen cooperation. Wang Yi later met Nguyen Van Hai.\n"
    )
    doc = build()(text)
    found = propagate_names(doc, mentions(doc, "d"))
    people = {(m.start, m.text): m.key for m in found if m.type == "person"}
    alone = text.index("Wang said")
    assert people.get((alone, "Wang")) == people[(text.index("Wang Yi"), "Wang Yi")]
    later = text.index("Wang Yi later")
    overlapping = [m for m in found if m.start < later + 7 and later < m.end]
    assert [(m.start, m.text) for m in overlapping] == [(later, "Wang Yi")]


def test_a_name_found_again_is_one_mention_not_also_its_words() -> None:
    """Where the model missed a name it found elsewhere, the name is one mention: not also "Wang" (a
    family name written first) or another of its words inside it."""
    from bilateral.models import Mention
    from bilateral.nlp.mentions import propagate_names

    text = "Wang Yi arrived on Monday. On Tuesday Wang Yi spoke."
    doc = build()(text)
    known = [Mention("d", 0, 7, "Wang Yi", "person", None, None, "wang yi")]
    again = text.rindex("Wang Yi")
    found = [(m.start, m.end) for m in propagate_names(doc, known) if m.start >= again]
    assert found == [(again, again + 7)]


def test_an_exercise_name_in_capitals_is_no_known_name_and_no_headline() -> None:
    """ "COBRA GOLD 2025" is a name; "NATO 2024" and "UAE 2024" stay the organisation and the state; in
    a headline in capitals, the name is the words before the year, not the headline."""
    text = (
        "Chilean troops joined the NATO 2024 exercise Southern Star.\n"
        "Emirati and Egyptian forces held the UAE 2024 joint drills.\n"
        "CHILEAN TROOPS BEGIN NATO EXERCISE CONDOR SHIELD 2025 IN ARICA.\n"
        "PERU AND CHILE HOLD PACIFIC SHIELD 2024 DRILLS.\n"
    )
    ents = [(e.text, e.label_) for e in build()(text).ents]
    assert ("NATO", "ORG") in ents and ("UAE", "STATE") in ents, ents
    assert [t for t, label in ents if label == "EXERCISE"] == ["CONDOR SHIELD 2025", "PACIFIC SHIELD 2024"], (
        ents
    )


def test_currency_amounts_are_not_weapon_designations() -> None:
    found = _mentions("JICA lent JPY61 billion to Vietnam, and the army bought two J-20 jets.")
    assert found.get("J-20") == "weapon"
    assert all(kind != "weapon" for text, kind in found.items() if text.startswith("JPY"))


def test_hard_wrapped_lines_do_not_end_sentences() -> None:
    line = "The shipping group agreed on Monday to buy a majority stake in the port of Valencia, the\n"
    text = "Port deal\n\n" + line * 8 + "agency said.\n\nA new paragraph starts here.\n"
    sents = [s.text for s in build()(text).sents]
    assert any("the\nThe shipping group" in s for s in sents)  # a wrapped line continues its sentence
    assert any(s.startswith("A new paragraph") for s in sents)
