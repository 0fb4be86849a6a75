"""Within-document event coreference, meeting participants and statement dates, on texts we composed.

Each row is a short text and, for one event type, sentences that must (or must not) be cited as the
evidence of the event the text reports; run on the parsed text alone, not through the store.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from bilateral.events.extract import extract
from bilateral.models import Event
from bilateral.nlp.markup import mask
from bilateral.nlp.mentions import mentions, propagate_names
from bilateral.nlp.pipeline import build
from bilateral.nlp.resolve import vote_types


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build()


def _events(nlp: Language, text: str, published: str | None = "2024-05-10") -> list[Event]:
    doc = nlp(mask(text))
    found = propagate_names(doc, mentions(doc, "t"))
    vote_types(found)
    return extract(doc, "t", found, published)


# (type, text, a sentence that must be cited, a sentence that must not be cited or None)
EVIDENCE: list[tuple[str, str, str, str | None]] = [
    (
        "arms_transfer",
        "Chile ordered twelve K9 howitzers from South Korea in 2023. The K9s will be based in the "
        "north. Peru also bought trucks.",
        "The K9s will be based in the north.",
        "Peru also bought trucks.",
    ),
    (
        "arms_transfer",
        "Kenya bought six Bayraktar TB2 drones from Turkey in 2022. Officials said the drones would patrol "
        "the border.",
        "Officials said the drones would patrol the border.",
        None,
    ),
    (
        "loan",
        "China lent Kenya $3.2 billion in 2014 to build a railway. The loan has to be repaid over 20 years. "
        "Kenya's total debt is high.",
        "The loan has to be repaid over 20 years.",
        "Kenya's total debt is high.",
    ),
    (
        "loan",
        "Japan extends $500 million loan to Vietnam\nJapan signed a loan agreement with Vietnam on Monday "
        "to fund a metro line in Hanoi, worth $500 million.",
        "Japan extends $500 million loan to Vietnam",
        None,
    ),
    (
        "exercise",
        "Chile and Peru began the Golden Condor 2023 exercise on March 23. More than 800 troops take part "
        "in Golden Condor, the organisers said.",
        "More than 800 troops take part in Golden Condor, the organisers said.",
        None,
    ),
    (
        "meeting",
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "Ruto thanked Abiy for their meeting. The weather was warm.",
        "Ruto thanked Abiy for their meeting.",
        "The weather was warm.",
    ),
    (
        "agreement",
        "Chile and Peru signed the Pacific Fisheries Agreement on 4 April 2023. Fishermen welcomed the "
        "Pacific Fisheries Agreement.",
        "Fishermen welcomed the Pacific Fisheries Agreement.",
        None,
    ),
    (
        "statement",
        "Kenyan President William Ruto praised the ties with Ethiopia in a tweet. “We will continue to "
        "stand with the brotherly people of Ethiopia,” he wrote.",
        "Kenyan President William Ruto praised the ties with Ethiopia in a tweet.",
        None,
    ),
    (
        "agreement",
        "Some 25 documents worth $9 billion were signed during the visit of Chilean President Gabriel "
        "Boric to Peru on 4 April 2023. A number of documents was signed in energy and mining.",
        "A number of documents was signed in energy and mining.",
        None,
    ),
    (
        "arms_transfer",
        "In March, Egypt announced a deal to buy K9 howitzers from South Korea. Officials criticised "
        "Libya's supply of drones to Sudan.",
        "In March, Egypt announced a deal to buy K9 howitzers from South Korea.",
        "Officials criticised Libya's supply of drones to Sudan.",
    ),
    (
        "arms_transfer",
        "Russia delivered two Mi-35P helicopters to Mali in March 2022. The new aircraft will strengthen "
        "the air force.",
        "The new aircraft will strengthen the air force.",
        None,
    ),
    (
        "agreement",
        "Greece signed a deal with France on 24 March 2022 to buy three FDI frigates. The Greek parliament "
        "ratified the deal in April.",
        "The Greek parliament ratified the deal in April.",
        None,
    ),
    (
        "agreement",
        "Chile and Peru signed a fisheries agreement in Lima on 4 April 2023. Chile and Peru hailed a new "
        "fisheries agreement as a landmark.",
        "Chile and Peru hailed a new fisheries agreement as a landmark.",
        None,
    ),
    (
        "loan",
        "Japan lent Vietnam $500 million in 2023 for a metro line. This is the third line of credit "
        "Japan is extending to Vietnam.",
        "This is the third line of credit Japan is extending to Vietnam.",
        None,
    ),
    (
        "arms_transfer",
        "Chile ordered twelve K9 howitzers from South Korea in 2023. Analysts say twelve howitzers will "
        "change the balance.",
        "Analysts say twelve howitzers will change the balance.",
        None,
    ),
    (
        "agreement",
        "Chile and Peru signed a fisheries agreement in Lima on 4 April 2023. “This agreement opens a new "
        "chapter,” Chilean President Gabriel Boric said.",
        "“This agreement opens a new chapter,” Chilean President Gabriel Boric said.",
        None,
    ),
    (
        "arms_transfer",
        "Chile ordered twelve K9 howitzers from South Korea in 2023. Its arms purchases have grown in the "
        "past decade. The howitzers will arrive in Arica.",
        "Chile ordered twelve K9 howitzers from South Korea in 2023.",
        "Its arms purchases have grown in the past decade.",
    ),
    (
        "meeting",
        "Chilean President Gabriel Boric and Peruvian President Dina Boluarte signed a fisheries agreement "
        "in Lima on 4 April 2023. Relations improved after the signing of the trade agreement in 2010.",
        "Chilean President Gabriel Boric and Peruvian President Dina Boluarte signed a fisheries agreement "
        "in Lima on 4 April 2023.",
        "Relations improved after the signing of the trade agreement in 2010.",
    ),
    (
        "loan",
        "Japan lent Vietnam JPY40bn in 2023 for a metro line. Japan also lent Vietnam JPY20bn in 2023 for "
        "a port. The JPY60bn package was announced in Hanoi.",
        "The JPY60bn package was announced in Hanoi.",
        None,
    ),
    (
        "agreement",
        "Greece signed a deal with France on 24 March 2022 to buy three frigates. Greece's ratification "
        "came in April.",
        "Greece's ratification came in April.",
        None,
    ),
]


@pytest.mark.parametrize(("type_", "text", "cited", "not_cited"), EVIDENCE)
def test_evidence(nlp: Language, type_: str, text: str, cited: str, not_cited: str | None) -> None:
    events = [e for e in _events(nlp, text) if e.type == type_]
    assert events, f"{text!r}: no {type_}"
    spans = {c.text for e in events for c in e.evidence}
    assert cited in spans, f"{cited!r} not among {spans}"
    assert not_cited is None or not_cited not in spans, f"{not_cited!r} cited"


def test_one_name_two_deals_cites_neither(nlp: Language) -> None:
    """Two transfers of one system: a later sentence naming only the system is not given to either."""
    text = (
        "Greece ordered 18 Rafale jets from France in 2021. In 2022 Greece ordered six more Rafale jets "
        "from France. The Rafale is a twin-engine fighter."
    )
    events = [e for e in _events(nlp, text) if e.type == "arms_transfer"]
    assert all("The Rafale is a twin-engine fighter." not in {c.text for c in e.evidence} for e in events)


MEETINGS: list[tuple[str, dict[str, Any]]] = [
    (
        "Kenyan President William Ruto visited Ethiopia on 3 May 2024.",
        {"participants": ["William Ruto"]},
    ),
    (
        "Chilean President Gabriel Boric held talks with Peruvian President Dina Boluarte in Lima on "
        "12 March 2024.",
        {"participants": ["Gabriel Boric", "Dina Boluarte"]},
    ),
    (
        "Greek Prime Minister Kyriakos Mitsotakis paid a state visit to France in June 2023.",
        {"participants": ["Kyriakos Mitsotakis"]},
    ),
    (
        "Kenyan President William Ruto spent a day in Uganda before flying to Ethiopia for talks on 3 May "
        "2024.",
        {"participants": ["William Ruto"], "location": "Ethiopia"},
    ),
    (
        "In June 2017, Kenyan defence minister Peter Njiru received members of a delegation of the "
        "Ethiopian National Defense Force led by General Abiy Mekonnen.",
        {"participants": ["Peter Njiru", "Abiy Mekonnen"]},
    ),
]


@pytest.mark.parametrize(("text", "expected"), MEETINGS)
def test_meeting_participants(nlp: Language, text: str, expected: dict[str, Any]) -> None:
    got = [e.args for e in _events(nlp, text) if e.type == "meeting"]
    assert any(all(a.get(k) == v for k, v in expected.items()) for a in got), f"{expected} not in {got}"


STATEMENT_DATES: list[tuple[str, str | None]] = [
    (
        "Kenyan official Peter Njiru said in March that the country would buy six helicopters.",
        "2024-03",
    ),
    ("Peter Njiru recalled a joint exercise held by the two armies in 2019.", None),
    ("Peter Njiru said that the two armies had held a joint exercise in 2019.", None),
    (
        "Kenyan President William Ruto stressed the need for stronger forces following a pact signed in "
        "March by Uganda and Tanzania.",
        None,
    ),
    (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "“We are very satisfied with the level of this cooperation,” Ruto said during a joint press "
        "conference following the meeting.",
        "2024-05-03",
    ),
    (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "Prior to this visit, Kenyan minister Peter Njiru said that Ethiopia is a key partner of Kenya.",
        None,
    ),
    (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "Ruto said that Ethiopia is a key partner of Kenya.",
        "2024-05-03",
    ),
    (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "Ruto frequently says that Ethiopia is a key partner of Kenya.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "date"), STATEMENT_DATES)
def test_statement_date(nlp: Language, text: str, date: str | None) -> None:
    got = [e.args for e in _events(nlp, text) if e.type == "statement"]
    assert got, f"{text!r}: no statement"
    assert got[-1].get("date") == date, got


def test_present_at_signing_take_part(nlp: Language) -> None:
    """People present at a signing reported before are participants of that meeting."""
    text = (
        "Kenyan minister Peter Njiru and Ethiopian minister Abiy Mekonnen signed the contract in Nairobi "
        "on 3 May 2024. Kenyan President William Ruto flew in for the contract signing."
    )
    got = [e for e in _events(nlp, text) if e.type == "meeting"]
    assert any("William Ruto" in e.args["participants"] for e in got), [e.args for e in got]


def test_meeting_place_from_reference(nlp: Language) -> None:
    """A meeting reported without its place takes the place a later reference to it gives."""
    text = (
        "In the closed-door meeting between Kenyan President William Ruto and Ethiopian Prime Minister "
        "Abiy Ahmed, the two leaders agreed to build a railway. Kenya and Ethiopia signed four deals "
        "during a joint meeting at the State House in Nairobi."
    )
    got = [e.args for e in _events(nlp, text) if e.type == "meeting"]
    assert any(a.get("location") == "Nairobi" for a in got), got


def test_virtual_summit_has_no_place(nlp: Language) -> None:
    text = (
        "Kenyan President William Ruto and Ethiopian Prime Minister Abiy Ahmed held a virtual summit in "
        "Nairobi on 3 May 2024."
    )
    got = [e.args for e in _events(nlp, text) if e.type == "meeting"]
    assert got and all("location" not in a for a in got), got


def test_summit_takes_the_states_listed_as_taking_part(nlp: Language) -> None:
    text = (
        "In 2012, Brazil and 11 countries of South America held an energy summit in Lima. The countries "
        "participating in the summit were Brazil, Peru, Chile, Bolivia and Ecuador."
    )
    got = [e.args for e in _events(nlp, text) if e.type == "meeting"]
    assert any({"BRA", "PER", "CHL", "BOL", "ECU"} <= set(a["participants"]) for a in got), got
