"""Arms transfers and investments: sentences we composed, one error class per row, run on the parsed
text alone (no store). A row's expected roles must all appear in one event of the type; `None` means
no event of the type; a row with `absent` names a value no event may carry in that role.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from .conftest import check_roles, composed_events

Row = tuple[str, dict[str, Any] | None]


def _args(nlp: Language, type_: str, text: str) -> list[dict[str, Any]]:
    return [e.args for e in composed_events(nlp, text) if e.type == type_]


ARMS: list[Row] = [
    # direction: "signed a contract with X to supply (of) ...": the signer supplies, the partner receives
    (
        "Brazilian planemaker Embraer said on 9 June it had signed a contract with the Chilean Ministry of "
        "Defence to supply of 10 A-29 aircraft and 3 KC-390 transport aircraft together with spare parts.",
        {"system": "KC-390", "supplier": "BRA", "recipient": "CHL", "quantity": 3},
    ),
    (
        "Brazilian planemaker Embraer said on 9 June it had signed a contract with the Chilean Ministry of "
        "Defence to supply of 10 A-29 aircraft and 3 KC-390 transport aircraft together with spare parts.",
        {"system": "A-29", "supplier": "BRA", "recipient": "CHL", "quantity": 10},
    ),
    # ... unless the signer is a state or ministry and the partner a company: the company supplies
    (
        "Poland signed a contract with South Korea's Hyundai Rotem to supply 180 K2 tanks.",
        {"system": "K2", "supplier": "KOR", "recipient": "POL", "quantity": 180},
    ),
    # provide X with Y; a second clause with its own buyer and "from"
    (
        "Japan will provide the Philippines with five TC-90 training aircraft.",
        {"system": "TC-90", "supplier": "JPN", "recipient": "PHL", "quantity": 5},
    ),
    (
        "Indonesia bought 42 Rafale jets from France, while Malaysia opted for KAI FA-50 light combat "
        "aircraft from South Korea.",
        {"system": "FA-50", "supplier": "KOR", "recipient": "MYS"},
    ),
    # a contract to supply is not a delivery that happened
    (
        "Turkey signed a contract with Qatar in 2023 to supply 20 T-155 howitzers.",
        {"system": "T-155", "delivered": None},
    ),
    # a combined count is not split; "an X helicopter" is one; design bureaus written out are systems
    (
        "Laos was handed over six more aircraft from Russia, which include five Yak-130 and Sukhoi-30 jets "
        "and an Mi-17 helicopter.",
        {"system": "Sukhoi-30", "supplier": "RUS", "recipient": "LAO", "quantity": None},
    ),
    (
        "Laos was handed over six more aircraft from Russia, which include five Yak-130 and Sukhoi-30 jets "
        "and an Mi-17 helicopter.",
        {"system": "Yak-130", "category": "jets", "quantity": None},
    ),
    (
        "Laos was handed over six more aircraft from Russia, which include five Yak-130 and Sukhoi-30 jets "
        "and an Mi-17 helicopter.",
        {"system": "Mi-17", "quantity": 1},
    ),
    # "N units of X"
    (
        "The Ghanaian army procured eight units of Mi-35 helicopters from Russia.",
        {"system": "Mi-35", "quantity": 8, "recipient": "GHA", "supplier": "RUS"},
    ),
    # a name between the system and its kind: the kind is still the category
    (
        "The Ghanaian army procured eight units of Mi-35 Hind helicopters from Russia.",
        {"system": "Mi-35", "category": "Hind helicopters", "quantity": 8},
    ),
    (
        "South Korea will supply 36 K10 Ammunition Resupply Vehicles to Chile.",
        {"system": "K10", "category": "Ammunition Resupply Vehicles", "quantity": 36},
    ),
    # a kind qualified by its type beside a named system is a transfer of its own
    (
        "Belarus delivered two Mi-8 helicopters and surveillance radars to Laos in April 2023.",
        {"system": "surveillance radars", "supplier": "BLR", "recipient": "LAO", "delivered": "2023-04"},
    ),
    (
        "Chile has signed deals to buy two navy submarines and ten Gripen fighter jets from Sweden.",
        {"system": "navy submarines", "quantity": 2, "supplier": "SWE", "recipient": "CHL"},
    ),
    (
        "Belarus delivered three Mi-8 helicopters and coastal radar systems delivered in May 2022 to Laos.",
        {"system": "coastal radar systems", "category": "radar systems", "delivered": "2022-05"},
    ),
    # the same system with another count in one sentence is another deal
    (
        "Thailand agreed to buy four Gripen jets from Sweden. The four new Gripen jets join a previous "
        "order of 14 Gripens.",
        {"system": "Gripen", "quantity": 14, "supplier": "SWE", "recipient": "THA"},
    ),
    # arms named by kind, going between other sides than the named systems: a deal of their own, with
    # the state a pronoun refers to
    (
        "In 2023, Peru announced a deal to buy K9 howitzers from South Korea. It was also noted that South "
        "Korea has technical problems with the drones it bought from Peru.",
        {"system": "drones", "supplier": "PER", "recipient": "KOR"},
    ),
    (
        "In 2023, Peru announced a deal to buy K9 howitzers from South Korea. Officials criticised Peru for "
        "its supply of drones to South Korea.",
        {"system": "drones", "supplier": "PER", "recipient": "KOR"},
    ),
    # money set aside for buying is no transfer
    ("Chile will pay for the jets from the $600 million earmarked for buying the Su-35 fighter.", None),
    # interest is not a transfer
    (
        "Several states in Asia have shown interest in the Caesar howitzers that France builds.",
        None,
    ),
]

NOT_A_KIND: list[tuple[str, str]] = [
    # arms named by kind going the same way as the named systems are their package
    ("In 2023, Peru bought K9 howitzers from Korea. Peru also bought drones from South Korea.", "drones"),
    # a bare kind bundled with a named system is only its package
    ("Chile bought eight Leopard tanks and missiles from Germany in 2019.", "missiles"),
    ("Laos received two Mi-17 helicopters and two helicopters from Russia in 2020.", "helicopters"),
    # the system's own descriptive phrase is not another transfer
    ("Peru made public its plan to buy four unmanned aerial vehicles (Wing Loong II drones) from China.",
     "unmanned aerial vehicles"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ARMS, ids=[f"arms-{i}" for i in range(len(ARMS))])
def test_arms_rows(nlp: Language, text: str, expected: dict[str, Any] | None) -> None:
    check_roles(nlp, "arms_transfer", text, expected)


@pytest.mark.parametrize(("text", "system"), NOT_A_KIND)
def test_bare_kind_is_not_a_transfer(nlp: Language, text: str, system: str) -> None:
    got = _args(nlp, "arms_transfer", text)
    assert got, f"{text!r}: the named system should be a transfer"
    assert all(a.get("system") != system for a in got), got


def test_background_list_of_customers_is_no_side(nlp: Language) -> None:
    text = (
        "South Korea sold K9 howitzers to Chile in 2023. Chile became the fifth customer – after Estonia, "
        "Finland, Norway and Poland – to acquire the K9."
    )
    got = _args(nlp, "arms_transfer", text)
    assert got
    listed = {"EST", "FIN", "NOR", "POL"}
    assert not any({a.get("supplier"), a.get("recipient")} & listed for a in got), got


INVESTMENTS: list[Row] = [
    # host: a continent is no state, a price is not the target's name
    (
        "Singapore's PSA International is building a $2bn deepwater port in Peru, its first in South "
        "America.",
        {"investor": "PSA International", "country": "PER", "target": "deepwater port in Peru"},
    ),
    # host: not the seller's state, not the investor's home (named with a state earlier in the text)
    (
        "Chilean state-owned ANDES Copper Holdings is expanding in Peru. In 2020, ANDES purchased 40% of the "
        "shares in Terminal Puerto Callao (TPC) from Rio Verde Mining, a subsidiary of British firm Anglo "
        "Metals Ltd.",
        {"investor": "ANDES", "target": "Terminal Puerto Callao", "country": "PER", "stake": 40.0},
    ),
    # host: not where the investor is based
    (
        "A Saudi consortium led by Alinma, a sovereign fund based in Riyadh, signed an agreement with "
        "Morocco on Friday to invest $5 billion in Tanger Med.",
        {"investor": "Alinma", "country": "MAR"},
    ),
    # a stake a government retains is in its own country
    (
        "Under the agreement, the Moroccan government will retain a 30 per cent stake in the project.",
        {"investor": "MAR", "country": "MAR", "stake": 30.0},
    ),
    # a second deal coordinated with the first: the same sides; a place qualifying it is not the target
    (
        "At the summit of the Chilean and Peruvian presidents, the deals reached included the sale of 15 per "
        "cent of shares in Peru's stock exchange, Bolsa de Lima, and a transfer of the shares of the luxury "
        "Lima shopping centre Costanera Plaza.",
        {"investor": "CHL", "target": "Costanera Plaza", "country": "PER"},
    ),
    # "said it would invest": a plan; "invest N euros in X" however "in X" is hung
    (
        "Last month Hutchison said it would invest 400 million euros in Valencia Port.",
        {
            "investor": "Hutchison",
            "target": "Valencia Port",
            "value": {"amount": 400000000, "currency": "EUR"},
        },
    ),
    # the one a stake is sold to invests; a place that received an investment hosts it
    (
        "Egypt will sell a 30% stake in the Suez Canal Economic Zone to Saudi Arabia's PIF.",
        {"investor": "PIF", "country": "EGY", "stake": 30.0},
    ),
    (
        "Hungary received a €5 billion investment from China's CATL for a battery plant in Debrecen.",
        {"investor": "CATL", "target": "a battery plant", "country": "HUN"},
    ),
    # the seller's state is never the host, wherever "from" is hung
    (
        "Kenya's government acquired a 49% stake in the Lamu port operator from China's CCCC in 2021.",
        {"investor": "KEN", "country": None, "stake": 49.0},
    ),
    # a plural trigger over a common noun is an aggregate
    (
        "Observers argue that too little scrutiny was given to Emirati acquisitions of strategic African "
        "assets (notably major airports).",
        None,
    ),
    ("Hutchison would invest in Valencia Port if the government agreed.", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), INVESTMENTS, ids=[f"investment-{i}" for i in range(len(INVESTMENTS))]
)
def test_investment_rows(nlp: Language, text: str, expected: dict[str, Any] | None) -> None:
    check_roles(nlp, "investment", text, expected)


def test_a_restated_deal_is_one_investment(nlp: Language) -> None:
    text = (
        "In 2019, Andes Holdings bought 55% of the shares in Terminal Puerto Callao (TPC) from Rio Verde "
        "Mining, thereby buying into the port development at Callao."
    )
    assert len(_args(nlp, "investment", text)) == 1


def test_two_sums_in_one_target_are_two_investments(nlp: Language) -> None:
    text = (
        "Hutchison agreed to purchase 51 percent of Valencia Port for 280 million euros. Last month "
        "Hutchison said it would invest 500 million euros in Valencia Port."
    )
    values = {a["value"]["amount"] for a in _args(nlp, "investment", text) if "value" in a}
    assert values == {280000000, 500000000}


def test_a_fleet_in_service_is_no_second_deal(nlp: Language) -> None:
    text = "Chile ordered 12 Gripen jets from Sweden, which will join 24 Gripens already in service."
    assert [a.get("quantity") for a in _args(nlp, "arms_transfer", text)] == [12]


def test_a_later_reference_by_kind_cites_the_transfer(nlp: Language) -> None:
    text = (
        "Chile ordered three K10 Ammunition Resupply Vehicles from South Korea in 2022. Delivery of the "
        "vehicles will start in 2025."
    )
    found = [e for e in composed_events(nlp, text) if e.type == "arms_transfer"]
    assert len(found) == 1 and len(found[0].evidence) == 2, found


def test_a_kind_named_by_a_system_is_not_a_second_transfer(nlp: Language) -> None:
    text = "Beijing has supplied Pakistan with J-10CE fighters and HQ-9 air defence systems."
    assert sorted(a["system"] for a in _args(nlp, "arms_transfer", text)) == ["HQ-9", "J-10CE"]


def test_a_family_name_after_a_designation_is_one_system(nlp: Language) -> None:
    text = "Morocco has received the first of 24 AH-64E Apache helicopters ordered from the United States."
    assert [a["system"] for a in _args(nlp, "arms_transfer", text)] == ["AH-64E"]


def test_a_family_in_the_plural_and_a_class_are_systems(nlp: Language) -> None:
    """ "42 Rafales" is 42 of the Rafale family; "Scorpene-class submarines" are of that class."""
    arms = _args(nlp, "arms_transfer", "Chile ordered 12 Rafales from France in 2023.")
    assert [(a["system"], a.get("quantity"), a["recipient"]) for a in arms] == [("Rafale", 12, "CHL")]
    text = "Peru took delivery of two Scorpene-class submarines from France in 2024."
    assert [(a["system"], a.get("quantity")) for a in _args(nlp, "arms_transfer", text)] == [
        ("Scorpene-class", 2)
    ]


def test_a_later_name_or_batch_of_a_transfer_is_that_transfer(nlp: Language) -> None:
    """The frigates named later by their class are the ones bought, now named; a batch of the jets
    ordered is part of that order."""
    text = (
        "Chile will buy three navy frigates and two Rafale jets from France. Its three FDI-class French "
        "frigates are to be delivered in 2026."
    )
    frigates = [a for a in _args(nlp, "arms_transfer", text) if a.get("category") != "jets"]
    assert [(a["system"], a.get("quantity")) for a in frigates] == [("FDI-class", 3)], frigates
    text = (
        "Chile ordered 42 Rafale jets from France in 2022. A first batch of six Rafales reaches Chile "
        "next year."
    )
    assert [a.get("quantity") for a in _args(nlp, "arms_transfer", text)] == [42]
