"""Within-document event coreference, meeting participants and statement dates, on texts we composed.

Each row is a short text and, for one event type, sentences that must (or must not) be cited as the
evidence of the event the text reports; run on the parsed text alone, not through the store.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from .conftest import composed_events

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
        "South Korea extends $300 million loan to Laos\nSouth Korea signed a loan agreement with Laos on "
        "Monday to fund a hydropower plant in Vientiane, worth $300 million.",
        "South Korea extends $300 million loan to Laos",
        None,
    ),
    (
        "exercise",
        "Chile and Peru began the Andes Shield 2023 exercise on 12 June 2023. More than 800 troops take "
        "part in Andes Shield, the organisers said.",
        "More than 800 troops take part in Andes Shield, the organisers said.",
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
        "Kenyan President William Ruto hailed the ties with Ethiopia online. “Our two nations will keep "
        "building roads together,” he wrote.",
        "Kenyan President William Ruto hailed the ties with Ethiopia online.",
        None,
    ),
    (
        "agreement",
        "Chile and Peru signed 25 documents worth $9 billion on 4 April 2023. Further documents were signed "
        "on energy and mining.",
        "Further documents were signed on energy and mining.",
        None,
    ),
    (
        "arms_transfer",
        "Egypt agreed in March to buy K9 howitzers from South Korea. Officials criticised "
        "Libya's supply of drones to Sudan.",
        "Egypt agreed in March to buy K9 howitzers from South Korea.",
        "Officials criticised Libya's supply of drones to Sudan.",
    ),
    (
        "arms_transfer",
        "Russia delivered two Mi-35P helicopters to Niger in March 2022. The new aircraft will strengthen "
        "the air force.",
        "The new aircraft will strengthen the air force.",
        None,
    ),
    (
        "agreement",
        "Portugal signed a deal with Italy on 5 June 2021 to buy two Orizzonte frigates. The Portuguese "
        "parliament ratified the deal in July.",
        "The Portuguese parliament ratified the deal in July.",
        None,
    ),
    (
        "agreement",
        "Chile and Peru signed a fisheries agreement in Lima on 4 April 2023. Chile and Peru welcomed a new "
        "fisheries agreement.",
        "Chile and Peru welcomed a new fisheries agreement.",
        None,
    ),
    (
        "loan",
        "India lent Nepal $500 million in 2023 for a metro line. Nepal has now received its third line of "
        "credit from India.",
        "Nepal has now received its third line of credit from India.",
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
        "Chile ordered twelve K9 howitzers from South Korea in 2023. Its arms purchases rose sharply. The "
        "howitzers will arrive in Arica.",
        "Chile ordered twelve K9 howitzers from South Korea in 2023.",
        "Its arms purchases rose sharply.",
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
        "South Korea lent Laos $600 million in 2023 for a dam. South Korea also lent Laos $300 million in "
        "2023 for a road. The $900 million package was announced in Vientiane.",
        "The $900 million package was announced in Vientiane.",
        None,
    ),
    (
        "agreement",
        "Portugal signed a deal with Italy on 5 June 2021 to buy two frigates. Portugal's ratification "
        "came in July.",
        "Portugal's ratification came in July.",
        None,
    ),
    (  # a designation's head noun gives the family of a transfer with no category
        "arms_transfer",
        "Uganda procured eight units of Mi-35 Hind helicopters from Russia, of which three are to be "
        "delivered over the next month. The other five helicopters will be delivered by December.",
        "The other five helicopters will be delivered by December.",
        None,
    ),
    (  # a deal noun modified by a transfer's word
        "arms_transfer",
        "Uganda has concluded a $3 billion deal to purchase arms and defence equipment from Turkey. The "
        "arms deal is said to cover air-defence systems.",
        "The arms deal is said to cover air-defence systems.",
        None,
    ),
    (
        "arms_transfer",
        "Kenya bought six Bayraktar TB2 drones from Turkey in 2022. The drone contract was criticised by "
        "the opposition.",
        "The drone contract was criticised by the opposition.",
        None,
    ),
    (  # a plural noun refers to every loan before it
        "loan",
        "China Development Bank lent Ghana $1.4 billion for a dam. The Export-Import Bank of China lent "
        "Ghana $1.8 billion for a road. The loans were signed under the previous "
        "administration.",
        "The loans were signed under the previous administration.",
        None,
    ),
    (  # a deal referred to as a package, a swap agreement as the swap
        "agreement",
        "Kenya and Turkey signed a $3 billion arms deal in Nairobi on 4 April 2023. The arms package "
        "contains a pledge to assemble drones in Kenya.",
        "The arms package contains a pledge to assemble drones in Kenya.",
        None,
    ),
    (  # the ceremony of an agreement's signing
        "agreement",
        "Greek minister Nikos Dendias and French minister Florence Parly signed a deal to buy three "
        "frigates in Athens on 24 March 2022. The ministers attended the signing ceremony on board a "
        "museum ship.",
        "The ministers attended the signing ceremony on board a museum ship.",
        None,
    ),
    (  # of two meetings of one person, the one held in the state the reference names
        "meeting",
        "Kenyan President William Ruto attended a summit of the African Union in Ethiopia on 2 May 2024. "
        "Ruto then held talks with Ugandan President Yoweri Museveni in Kampala on 3 May 2024. Uganda and "
        "Kenya pledged closer ties during Ruto's visit.",
        "Uganda and Kenya pledged closer ties during Ruto's visit.",
        None,
    ),
    (
        "agreement",
        "Chile and Peru signed a currency swap agreement on 4 April 2023. The swap will strengthen the "
        "reserves of both central banks.",
        "The swap will strengthen the reserves of both central banks.",
        None,
    ),
    (  # "the FTA": the free-trade agreement, not the last agreement reported
        "agreement",
        "In 2021, Chile and Peru signed a free trade agreement. In 2022, Chile and Peru signed a defence "
        "cooperation agreement. The FTA cut tariffs on copper.",
        "The FTA cut tariffs on copper.",
        None,
    ),
    (  # a meeting's people named together again, with no noun for it
        "meeting",
        "Chilean President Gabriel Boric met Peruvian President Dina Boluarte in Lima on 3 May 2024. Boric "
        "and Boluarte agreed to build a railway to the border. Chile and Peru trade copper.",
        "Boric and Boluarte agreed to build a railway to the border.",
        "Chile and Peru trade copper.",
    ),
    (  # its people as "they" of a meeting verb
        "meeting",
        "Chilean President Gabriel Boric held talks with Peruvian President Dina Boluarte in Lima on 12 "
        "March 2024. The ministry said they talked about fisheries and roads.",
        "The ministry said they talked about fisheries and roads.",
        None,
    ),
    (  # forces of the parties training together
        "exercise",
        "Chile and Peru began the Andes Shield 2023 exercise on 12 June 2023. For ten days, marines from "
        "both sides trained together on the coast.",
        "For ten days, marines from both sides trained together on the coast.",
        None,
    ),
    (  # buying systems of the transfer's category without naming one
        "arms_transfer",
        "Kenya bought six Bayraktar TB2 drones from Turkey in 2022. Kenya was the first African state to "
        "purchase Turkish UAVs.",
        "Kenya was the first African state to purchase Turkish UAVs.",
        None,
    ),
    (  # "this meeting": the last one before it; a year of another clause does not date the reference
        "meeting",
        "Kenyan President William Ruto visited Uganda on 2 April 2023. Ruto met Ethiopian Prime Minister "
        "Abiy Ahmed in Nairobi on 3 May 2023. During this meeting, they signed a trade agreement, which came "
        "into force in 2024.",
        "During this meeting, they signed a trade agreement, which came into force in 2024.",
        None,
    ),
    (  # a visit to the state of the meeting's place refers to it, a visit to another state does not
        "meeting",
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "Abiy's visit to Kenya drew praise at home. The visit of Abiy to Germany drew criticism.",
        "Abiy's visit to Kenya drew praise at home.",
        "The visit of Abiy to Germany drew criticism.",
    ),
    (  # the place nearest the reference is where it was, not the place of whoever speaks of it
        "meeting",
        "Chilean President Gabriel Boric held talks with Peruvian President Dina Boluarte in Lima on 12 "
        "March 2024. Officials in Chile said the visit to Peru went well. Boluarte's trip to Brazil was "
        "shorter.",
        "Officials in Chile said the visit to Peru went well.",
        "Boluarte's trip to Brazil was shorter.",
    ),
    (  # a place of another clause is not where it was; a place of the reference's clause is
        "meeting",
        "Chilean President Gabriel Boric held talks with Peruvian President Dina Boluarte in Lima on 12 "
        "March 2024. Officials in Chile said the talks went well. During the visit, Boric toured a copper "
        "mine in Bolivia.",
        "Officials in Chile said the talks went well.",
        "During the visit, Boric toured a copper mine in Bolivia.",
    ),
    (  # the state its phrase names, whatever place another clause gives
        "meeting",
        "Chilean President Gabriel Boric held talks with Peruvian President Dina Boluarte in Lima on 12 "
        "March 2024. On Sunday Boric returned to Santiago and ended his tour of Peru.",
        "On Sunday Boric returned to Santiago and ended his tour of Peru.",
        None,
    ),
]


@pytest.mark.parametrize(("type_", "text", "cited", "not_cited"), EVIDENCE)
def test_evidence(nlp: Language, type_: str, text: str, cited: str, not_cited: str | None) -> None:
    events = [e for e in composed_events(nlp, text) if e.type == type_]
    assert events, f"{text!r}: no {type_}"
    spans = {c.text for e in events for c in e.evidence}
    assert cited in spans, f"{cited!r} not among {spans}"
    assert not_cited is None or not_cited not in spans, f"{not_cited!r} cited"


def test_plural_reference_cites_every_loan(nlp: Language) -> None:
    text = (
        "China Development Bank lent Ghana $1.4 billion for a dam. The Export-Import Bank of China lent "
        "Ghana $1.8 billion for a road. The loans were signed under the previous administration."
    )
    loans = [e for e in composed_events(nlp, text) if e.type == "loan"]
    assert len(loans) == 2
    assert all("The loans were signed" in " ".join(c.text for c in e.evidence) for e in loans)


def test_category_words_pick_the_transfer_a_sentence_does_not_report(nlp: Language) -> None:
    """A sentence reporting one transfer refers back to another by that one's own category words."""
    text = (
        "India started supplying Pinaka multi barrel rocket launchers to Ghana in 2022. The supplies of the "
        "rocket launchers began in the same month in which India started delivering the Akash missile "
        "system to Ghana."
    )
    second = text.split(". ", 1)[1]
    cited = {e.args["system"]: {c.text for c in e.evidence} for e in composed_events(nlp, text)}
    assert second in cited["Pinaka"] and second in cited["Akash"], cited


def test_a_sentence_reporting_a_transfer_does_not_refer_back_by_its_own_category(nlp: Language) -> None:
    text = (
        "Kenya bought six Bayraktar TB2 drones from Turkey in 2022. Uganda bought four Wing Loong drones "
        "from China, and the drones arrived in 2023."
    )
    events = {e.args["system"]: e for e in composed_events(nlp, text) if e.type == "arms_transfer"}
    assert all("Uganda" not in c.text for c in events["Bayraktar TB2"].evidence), events


def test_presence_in_a_state_is_a_mention_of_the_meeting_there(nlp: Language) -> None:
    """ "Parly was in Greece": her one meeting, which had no place, is in Greece; a presence elsewhere
    is not a mention of a meeting held in another state."""
    text = (
        "Greek minister Nikos Dendias and French minister Florence Parly signed a deal to buy three frigates "
        "on 24 March 2022. Parly was in Greece as NATO ships gathered in the Mediterranean."
    )
    got = [e for e in composed_events(nlp, text) if e.type == "meeting"]
    assert any(
        e.args.get("location") == "Greece"
        and any(c.text.startswith("Parly was in Greece") for c in e.evidence)
        for e in got
    ), [(e.args, e.evidence) for e in got]
    text = (
        "Kenyan President William Ruto held talks with Ugandan President Yoweri Museveni in Kampala on 3 May "
        "2024. Ruto was in Ethiopia a week later."
    )
    got = [e for e in composed_events(nlp, text) if e.type == "meeting"]
    assert got and all("Ruto was in Ethiopia a week later." not in {c.text for c in e.evidence} for e in got)
    text = (
        "Kenyan President William Ruto held talks with Ugandan President Yoweri Museveni on 3 May 2024. Ruto "
        "was in Uganda in 2019 as a student."
    )
    got = [e for e in composed_events(nlp, text) if e.type == "meeting"]
    assert got and all("location" not in e.args and len(e.evidence) == 1 for e in got), got


def test_the_signing_of_another_instrument_is_not_a_reference(nlp: Language) -> None:
    text = (
        "Chile and Peru signed a fisheries agreement in Lima on 4 April 2023. Exports grew after the signing "
        "of the Pacific Alliance charter."
    )
    got = [e for e in composed_events(nlp, text) if e.type == "agreement"]
    assert got and all(len(e.evidence) == 1 for e in got), [(e.args, e.evidence) for e in got]


def test_a_deal_named_by_its_systems_is_the_agreement_of_their_transfer(nlp: Language) -> None:
    """ "The fighter deal" is the contract reported with the fighters' transfer, not the agreement
    reported last; "that submarine deal", of systems no agreement was reported with, is none."""
    text = (
        "Chile signed a $2 billion contract with France on 3 March 2023 to buy 12 Rafale fighter jets. On "
        "the same day, Thales signed a memorandum of understanding with ENAER for radar research. The "
        "fighter deal followed two years of talks. That submarine deal would have cost more."
    )
    cited = {str(e.args.get("title")): {c.text for c in e.evidence} for e in composed_events(nlp, text)}
    assert "The fighter deal followed two years of talks." in cited["a $2 billion contract"], cited
    assert len(cited["a memorandum of understanding"]) == 1, cited
    assert all("That submarine deal would have cost more." not in c for c in cited.values()), cited


def test_a_demonym_does_not_place_a_meeting(nlp: Language) -> None:
    """ "The Kenyan ministry's report on the meeting": whose report, not a meeting held in Kenya; the
    meeting is the one reported last."""
    text = (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2023. "
        "Ruto met Ugandan President Yoweri Museveni on 5 May 2023. The Kenyan ministry's report on the "
        "meeting praised the new road."
    )
    reference = "The Kenyan ministry's report on the meeting praised the new road."
    cited = [{c.text for c in e.evidence} for e in composed_events(nlp, text) if e.type == "meeting"]
    assert [reference in c for c in cited] == [False, True], cited


def test_one_name_two_deals_cites_neither(nlp: Language) -> None:
    """Two transfers of one system: a later sentence naming only the system is not given to either."""
    text = (
        "Croatia ordered 12 Leopard tanks from Germany in 2021. In 2022 Croatia ordered six more Leopard "
        "tanks from Germany. The Leopard is a heavy tank."
    )
    events = [e for e in composed_events(nlp, text) if e.type == "arms_transfer"]
    assert all("The Leopard is a heavy tank." not in {c.text for c in e.evidence} for e in events)


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
    got = [e.args for e in composed_events(nlp, text) if e.type == "meeting"]
    assert any(all(a.get(k) == v for k, v in expected.items()) for a in got), f"{expected} not in {got}"


STATEMENT_DATES: list[tuple[str, str | None]] = [
    (
        "Kenyan official Peter Njiru said in March that the country would buy six helicopters.",
        "2024-03",
    ),
    ("Peter Njiru recalled a joint exercise held by the two armies in 2019.", None),
    ("Peter Njiru said that the two armies had held a joint exercise in 2019.", None),
    (
        "Kenyan President William Ruto stressed the need for stronger forces after Uganda and Tanzania "
        "signed a pact in March.",
        None,
    ),
    (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "“Our cooperation keeps growing,” Ruto told reporters at a press conference after the meeting.",
        "2024-05-03",
    ),
    (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "Before the visit, Kenyan minister Peter Njiru said that Ethiopia is a key partner of Kenya.",
        None,
    ),
    (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "Ruto said that Ethiopia is a key partner of Kenya.",
        "2024-05-03",
    ),
    (
        "Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Nairobi on 3 May 2024. "
        "Ruto often says that Ethiopia is a key partner of Kenya.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "date"), STATEMENT_DATES)
def test_statement_date(nlp: Language, text: str, date: str | None) -> None:
    got = [e.args for e in composed_events(nlp, text) if e.type == "statement"]
    assert got, f"{text!r}: no statement"
    assert got[-1].get("date") == date, got


def test_present_at_signing_take_part(nlp: Language) -> None:
    """People present at a signing reported before are participants of that meeting."""
    text = (
        "Kenyan minister Peter Njiru and Ethiopian minister Abiy Mekonnen signed the contract in Nairobi "
        "on 3 May 2024. Kenyan President William Ruto attended the contract signing."
    )
    got = [e for e in composed_events(nlp, text) if e.type == "meeting"]
    assert any("William Ruto" in e.args["participants"] for e in got), [e.args for e in got]


def test_meeting_place_from_reference(nlp: Language) -> None:
    """A meeting reported without its place takes the place a later reference to it gives."""
    text = (
        "Kenyan President William Ruto and Ethiopian Prime Minister Abiy Ahmed agreed in their talks to "
        "build a railway. The two sides signed four deals during their talks at the State House in "
        "Nairobi."
    )
    got = [e.args for e in composed_events(nlp, text) if e.type == "meeting"]
    assert any(a.get("location") == "Nairobi" for a in got), got


def test_virtual_summit_has_no_place(nlp: Language) -> None:
    text = (
        "Kenyan President William Ruto and Ethiopian Prime Minister Abiy Ahmed held a virtual summit in "
        "Nairobi on 3 May 2024."
    )
    got = [e.args for e in composed_events(nlp, text) if e.type == "meeting"]
    assert got and all("location" not in a for a in got), got


def test_summit_takes_the_states_listed_as_taking_part(nlp: Language) -> None:
    text = (
        "In 2012, Brazil and 11 countries of South America held an energy summit in Lima. Brazil, Peru, "
        "Chile, Bolivia and Ecuador took part in the summit."
    )
    got = [e.args for e in composed_events(nlp, text) if e.type == "meeting"]
    assert any({"BRA", "PER", "CHL", "BOL", "ECU"} <= set(a["participants"]) for a in got), got


def test_one_amount_two_loans_cites_neither(nlp: Language) -> None:
    """Two loans of one amount: a sentence giving only the amount is not given to either."""
    text = (
        "China lent Kenya $1 billion in 2014 for a railway. China lent Kenya $1 billion in 2019 for a "
        "port. Kenya's budget counts $1 billion of interest."
    )
    events = [e for e in composed_events(nlp, text) if e.type == "loan"]
    assert all(
        "Kenya's budget counts $1 billion of interest." not in {c.text for c in e.evidence} for e in events
    )


def test_a_dated_reference_is_not_given_to_a_deal_of_another_year(nlp: Language) -> None:
    """ "the order concluded on March 3" is not the 2015 purchase, whatever else the text says of it."""
    text = (
        "Kenya ordered 20 Leopard tanks from Germany, its second such deal. The order comes after the "
        "purchase in 2015 of 12 Leopard tanks. A newspaper wrote that the order concluded on March 3 "
        "was part of a wider defence package."
    )
    reference = "A newspaper wrote that the order concluded on March 3 was part of a wider defence package."
    for event in composed_events(nlp, text):
        if event.type == "arms_transfer" and event.args.get("ordered") == "2015":
            assert reference not in {c.text for c in event.evidence}
