"""Roles of meetings, statements, agreements and loans: sentences we composed, run on the parsed text alone.

Each row is one class of error seen on the development sets (a name the recogniser types as a person
that names a company, a place or a product; plural speakers; totals that are not instruments; loans
that are definitions or debt), stated with sentences we wrote. `Expect` rows: the roles must all appear
in one event of the type (`None`: no event of the type). `Forbid` rows: no event of the type has the
value in the role.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from .conftest import check_roles, composed_events

Expect = tuple[str, str, dict[str, Any] | None]
Forbid = tuple[str, str, str, str]


def _has(value: Any, wanted: str) -> bool:
    return wanted in value if isinstance(value, list) else value == wanted


EXPECT: list[Expect] = [
    # An unnamed official ("the navy official") is not the last person named; "the NATO chief" may be.
    (
        "statement",
        "Reporter Anna Lind wrote from Jakarta. The frigate order will take effect next year, the navy "
        "official told reporters.",
        None,
    ),
    (
        "statement",
        "Secretary General Jonas Berg spoke in Brussels. The NATO chief said that the treaty would be "
        "signed soon.",
        {"speaker": "Jonas Berg"},
    ),
    # A claim two people make together is no one person's statement, however the parser hangs "and".
    (
        "statement",
        "At their talks in Delhi on Monday, Brazilian President Carlos Lima and India's Prime Minister "
        "announced a plan to double trade by 2030.",
        None,
    ),
    (
        "statement",
        "The Minister of Foreign Affairs and Trade Jan Kowal said that Poland would sign the deal in May.",
        {"speaker": "Jan Kowal"},
    ),
    # A name that once modifies a common noun ("the Trump tariffs") is still a person elsewhere.
    (
        "statement",
        "The Trump tariffs hit Chinese exports in 2019. “We will talk to China again,” Trump said.",
        {"speaker": "Trump"},
    ),
    # Banks of one state with no state beside them are one side; the other is the document's other state.
    (
        "agreement",
        "Peru and China signed deals in May. Peru also struck accords with the China Development Bank and "
        "the Export-Import Bank of China (Eximbank) to extend its loans.",
        {"parties": ["PER", "China Development Bank"]},
    ),
    # A concession made in the same breath belongs to the claim.
    (
        "statement",
        "Alliance chief Jonas Berg cautioned against Hungary's deepening arms ties with Russia while "
        "recognising Budapest's right to choose its partners.",
        {
            "speaker": "Jonas Berg",
            "quote": "against Hungary's deepening arms ties with Russia while recognising Budapest's right "
            "to choose its partners",
        },
    ),
    # Speech phrases: "paid tribute to" what follows.
    (
        "statement",
        'In a speech, Army Minister Omar Diallo paid tribute to the "lasting friendship between Niger and '
        'Turkey."',
        {"speaker": "Omar Diallo"},
    ),
    # Guillemets are quotation marks; "said the President" is the person introduced as President.
    (
        "statement",
        "President Lars Berg spoke in Oslo. «Our ties with Sweden have never been stronger,» said the "
        "President.",
        {"speaker": "Lars Berg", "quote": "Our ties with Sweden have never been stronger"},
    ),
    # The means the parser hangs on the verb belongs to the claim.
    (
        "statement",
        "Transport Minister Lena Holm called for closer links between the two ports and Estonia through the "
        "sharing of customs data.",
        {"quote": "for closer links between the two ports and Estonia through the sharing of customs data"},
    ),
    # "the broadcaster quoted X as saying": X speaks, not the broadcaster.
    (
        "statement",
        "“The drill went exactly to plan,” the state broadcaster RTV quoted Major Ivan Petrov, the captain "
        "of the corvette, as saying.",
        {"speaker": "Ivan Petrov"},
    ),
    # "He" after a report continues the reporter, not a person named inside the report.
    (
        "statement",
        "Spokesman Adam Kowal said the minister had talks with his Czech colleague, Jan Dvorak, in Brno. He "
        "noted too that the two men toured a tank plant.",
        {"speaker": "Adam Kowal", "quote": "the two men toured a tank plant"},
    ),
    # The reporter of a meeting takes no part in it; "the minister" is the person named with that title.
    (
        "meeting",
        "Finance Minister Mohammed Sani and central bank governor Hassan Bello are in Japan this week. "
        "Spokesman Adam Kowal said the minister held talks with his Japanese counterpart, Kenji Sato, on "
        "Tuesday.",
        {"participants": ["Mohammed Sani", "Kenji Sato"]},
    ),
    # A speaker remarking during a meeting does take part in it.
    (
        "meeting",
        "During talks with Hungarian Prime Minister Peter Varga in Rome in June 2025, Indian Prime Minister "
        "Ravi Kumar said that the two states were old partners.",
        {"participants": ["Peter Varga", "Ravi Kumar"]},
    ),
    # An undated visit of one person joins the talks it was part of; alone it is a passing reference.
    (
        "meeting",
        "Seven agreements were signed during the official visit of President William Ruto to Japan’s Osaka. "
        "He held talks with Japanese Prime Minister Kenji Sato.",
        {"participants": ["William Ruto", "Kenji Sato"]},
    ),
    (
        "meeting",
        "Seven agreements were signed during the official visit of President William Ruto to Mexico.",
        None,
    ),
    # One person speaking at a forum, in no place the text names, is no meeting.
    (
        "meeting",
        "Speaking at the Chile-Korea Business Forum on 18 May, Gabriel Rojas said that trade had grown "
        "strongly.",
        None,
    ),
    # Two banks "respectively", one named twice (its acronym in brackets): one loan each, own amount.
    (
        "loan",
        "Agreements were struck with the China Development Bank as well as the Export-Import Bank of China "
        "(Eximbank) on loans to Kenya of US$ 300 million and US$ 500 million respectively.",
        {
            "lender": "Export-Import Bank of China",
            "borrower": "KEN",
            "value": {"amount": 500000000, "currency": "USD"},
        },
    ),
    # Loans in general (a definition): no lender, borrower or amount in the sentence.
    (
        "loan",
        "Concessional loans: funds lent on soft terms to poorer countries to pay for roads and ports.",
        None,
    ),
    # A name in quotation marks is not a quotation of speech; the marks are not part of the title.
    (
        "agreement",
        'Chile and Peru agreed in June to elevate their ties to a "strategic partnership".',
        {"parties": ["CHL", "PER"], "kind": "strategic_partnership", "title": "a strategic partnership"},
    ),
    # "both central banks", like "both countries", names the two sides the document is about.
    (
        "agreement",
        "Chile and Japan renewed their swap line in 2023. Both central banks first signed such an accord "
        "in 2011.",
        {"parties": ["CHL", "JPN"], "signed": "2011"},
    ),
    # An agency and its state in apposition are one side.
    (
        "agreement",
        "Norway's Boreal Shipping bought the port of Varna last year under a deal signed with the BSPA, "
        "Bulgaria's sales agency.",
        {"parties": ["NOR", "BSPA"]},
    ),
    # Reported speech: the named person in apposition to the subject phrase, however the parser hangs it.
    (
        "statement",
        "The head of training of the Norwegian Home Guard, Brigadier General Anders Hovland, said: “These "
        "drills test our cold-weather skills.”",
        {"speaker": "Anders Hovland"},
    ),
    # A relay: the claim belongs to the person whose promise is relayed, and the relay is no second statement.
    (
        "statement",
        "The spokesman Jonas Brandt added that General Petr Novak had promised full backing for Slovakia's "
        "plan to buy new radars.",
        {"speaker": "Petr Novak"},
    ),
    # A newspaper reports, citing a named officer: the claim is the officer's.
    (
        "statement",
        "Naval drills off the coast opened on Monday with four ships from each side, the Bangkok Post "
        "reported, citing Colonel Somchai Wong.",
        {"speaker": "Somchai Wong"},
    ),
    (
        "statement",
        "Kenya's army chief, General Peter Otieno, was quoted as saying that his forces were getting new "
        "radars.",
        {"speaker": "Peter Otieno", "quote": "his forces were getting new radars"},
    ),
    # Several unnamed people speaking together: not a statement of the last person named.
    (
        "statement",
        "Defence Minister Tomas Varga visited Prague on Monday. Analysts say the new port deal will shift "
        "trade routes in the region.",
        None,
    ),
    (
        "statement",
        "Foreign Minister Lena Holm met her Danish counterpart Mads Berg in Oslo on 3 May. The ministers "
        "also urged faster approval of the fishing accord.",
        None,
    ),
]

FORBID: list[Forbid] = [
    # A relative clause that does not hold the loan says nothing of what it is for.
    (
        "loan",
        "Peru ordered 30 trucks from Spain. The order, which comes after the purchase of 12 buses in 2019, "
        "will be "
        "paid for with a 5-year loan, the ministry said.",
        "purpose",
        "the purchase of 12 buses",
    ),
    # What a loan is for is never the loans themselves.
    (
        "loan",
        "Kenya signed deals with the China Development Bank and the Export-Import Bank of China for "
        "loans worth US$ 300 million and US$ 500 million respectively.",
        "purpose",
        "loans worth US$ 300 million and US$ 500 million respectively",
    ),
    # A state and its own ministry are one side.
    (
        "agreement",
        "Poland's Wisla Arms said it had signed a contract with the Latvian Ministry of Defence for 24 "
        "mortars.",
        "parties",
        "LVA",
    ),
    (
        "statement",
        "The spokesman Jonas Brandt added that General Petr Novak had promised full backing for Slovakia's "
        "plan to buy new radars.",
        "speaker",
        "Jonas Brandt",
    ),
    # "which he said": an aside inside a claim already reported is not a second statement.
    (
        "statement",
        "Kenya's army chief, General Peter Otieno, was quoted as saying that his forces were getting new "
        "radars which he said would join the ones bought in 2019.",
        "quote",
        "would join the ones bought in 2019",
    ),
    # A company, a press office: never a participant or a speaker.
    (
        "meeting",
        "Seven agreements were signed during the official visit of President William Ruto to Beijing, the "
        "news agency learned from the Velora press office.",
        "participants",
        "Velora",
    ),
    (
        "statement",
        "“The deal opens a new market for us,” Kestrel Aerospace said. “It also brings jobs,” he added.",
        "speaker",
        "Kestrel Aerospace",
    ),
    # "since 2019" is when a period began; a date in a clause on another noun is that clause's.
    (
        "meeting",
        "Chilean President Tomás Ruiz held talks with Peruvian President Rosa Quispe in Lima. It was Ruiz's "
        "first visit to Peru since 2019.",
        "date",
        "2019",
    ),
    (
        "meeting",
        "Chilean President Tomás Ruiz met Peruvian President Rosa Quispe in Lima, his first visit to Peru "
        "since taking office in 2022.",
        "date",
        "2022",
    ),
    (
        "meeting",
        "Chilean President Tomás Ruiz met Peruvian President Rosa Quispe, who took office in 2022, in Lima.",
        "date",
        "2022",
    ),
    (
        "meeting",
        "Chilean President Tomás Ruiz, who visited Quito last week, met Peruvian President Rosa Quispe in "
        "Lima on Wednesday.",
        "location",
        "Quito",
    ),
    ("loan", "China lent Peru $1 billion for a bridge that opened in 2014.", "date", "2014"),
    (
        "arms_transfer",
        "World-class engineers from France delivered a frigate to Greece in 2021.",
        "system",
        "World-class",
    ),
    (
        "statement",
        "According to official data, Chilean President Tomás Ruiz visited Peru four times, and the two "
        "countries signed 20 agreements.",
        "speaker",
        "Tomás Ruiz",
    ),
    (
        "statement",
        "According to an adviser of Chilean President Tomás Ruiz, Peru will build a new bridge in Lima.",
        "speaker",
        "Tomás Ruiz",
    ),
    (
        "arms_transfer",
        "France has delivered six Rafale jets to Greece under a contract signed in 2021.",
        "delivered",
        "2021",
    ),
]


@pytest.mark.parametrize(
    ("type_", "text", "expected"), EXPECT, ids=[f"{r[0]}-{i}" for i, r in enumerate(EXPECT)]
)
def test_expected_roles(nlp: Language, type_: str, text: str, expected: dict[str, Any] | None) -> None:
    check_roles(nlp, type_, text, expected)


@pytest.mark.parametrize(
    ("type_", "text", "role", "value"), FORBID, ids=[f"{r[0]}-{i}" for i, r in enumerate(FORBID)]
)
def test_forbidden_roles(nlp: Language, type_: str, text: str, role: str, value: str) -> None:
    got = [e.args for e in composed_events(nlp, text) if e.type == type_]
    assert not any(_has(args.get(role), value) for args in got), f"{text!r}: {value!r} as {role} in {got}"


def test_a_participant_in_the_meeting_state_is_evidence_of_the_meeting(nlp: Language) -> None:
    """ "X was in Portugal" cites the meeting X had there, adds no participant and is no meeting alone."""
    text = (
        "Defence ministers Pedro Santos of Portugal and France's Marie Dubois met in Lisbon on 14 April "
        "2022. "
        "Dubois was in Portugal as the fleet arrived."
    )
    meetings = [e for e in composed_events(nlp, text) if e.type == "meeting"]
    assert len(meetings) == 1
    assert meetings[0].args["participants"] == ["Pedro Santos", "Marie Dubois"]
    assert any(c.text.startswith("Dubois was in Portugal") for c in meetings[0].evidence)
    alone = [
        e for e in composed_events(nlp, "Marie Dubois was in Portugal on Monday.") if e.type == "meeting"
    ]
    assert not alone


def test_an_undated_visit_joins_only_a_meeting_in_the_state_it_went_to() -> None:
    """A pending visit ("signed during the visit of X to Y") joins X's dated talks only where they
    were held in Y; otherwise it is dropped, and the talks keep their own place and evidence."""
    from bilateral.events.meetings import merge
    from bilateral.models import Event, Span

    def reports(visited: str) -> list[Event]:
        visit = Event(
            "meeting",
            {"participants": ["Tomas Varga"], "location": "Bonn", "date": None, "occasion": None,
             "_visit": True, "_pending": True, "_where": visited},
            [Span("t", 0, 40, "Deals were signed during the visit.")],
        )  # fmt: skip
        talks = Event(
            "meeting",
            {"participants": ["Tomas Varga", "Ines Moreau"], "location": "Paris", "date": "2024-05-03",
             "occasion": None, "_visit": False, "_pending": False, "_where": "FRA"},
            [Span("t", 41, 90, "Varga held talks with Moreau in Paris.")],
        )  # fmt: skip
        return merge([visit, talks])

    apart = reports("DEU")
    assert [(e.args["location"], len(e.evidence)) for e in apart] == [("Paris", 1)]
    assert not any(k.startswith("_") for e in apart for k in e.args)
    joined = reports("FRA")
    assert len(joined) == 1 and len(joined[0].evidence) == 2
