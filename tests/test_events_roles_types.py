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

from .conftest import composed_events

Expect = tuple[str, str, dict[str, Any] | None]
Forbid = tuple[str, str, str, str]


def _has(value: Any, wanted: str) -> bool:
    return wanted in value if isinstance(value, list) else value == wanted


EXPECT: list[Expect] = [
    # A claim two people make together is no one person's statement, however the parser hangs "and".
    (
        "statement",
        "During a meeting in Beijing on Friday, Chinese President Xi Jinping and Kenya’s President announced "
        "the elevation of bilateral ties between the two nations to a strategic partnership.",
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
    # Two banks of one state are one side (an alias in brackets is the same bank); the other side is the
    # document's other state.
    (
        "agreement",
        "Peru and China signed deals in May. Agreements were reached with both the China Development Bank "
        "and the Export-Import Bank of China (Eximbank) to extend the loans.",
        {"parties": ["PER", "China Development Bank", "Export-Import Bank of China"]},
    ),
    # A concession made in the same breath belongs to the claim.
    (
        "statement",
        "NATO chief Mark Rutte warned against Serbia’s growing defence cooperation with China while "
        "acknowledging Belgrade’s sovereign right to pursue it.",
        {
            "speaker": "Mark Rutte",
            "quote": "against Serbia’s growing defence cooperation with China while acknowledging Belgrade’s "
            "sovereign right to pursue it",
        },
    ),
    # Speech phrases: "paid tribute to" what follows.
    (
        "statement",
        "In a speech, Defense Minister Omar Diallo paid tribute to Niger's \"win-win partnership with the "
        'Russian Federation."',
        {"speaker": "Omar Diallo"},
    ),
    # Guillemets are quotation marks; "said the President" is the person introduced as President.
    (
        "statement",
        "President Lars Berg spoke in Oslo. «We signed a joint statement and our talks were a success,» said "
        "the President.",
        {"speaker": "Lars Berg", "quote": "We signed a joint statement and our talks were a success"},
    ),
    # The means the parser hangs on the verb belongs to the claim.
    (
        "statement",
        "Defence Minister Mohammed Sani called for improved synergy between the companies and Nigeria "
        "through the transfer of defence technology.",
        {
            "quote": "for improved synergy between the companies and Nigeria through the transfer of "
            "defence technology"
        },
    ),
    # "the agency quoted X as saying": X speaks, not the agency.
    (
        "statement",
        "“Organization was precise and communications were smooth,” the state-run Xinhua agency quoted "
        "Captain Li Wen, the commanding officer of the frigate, as saying.",
        {"speaker": "Li Wen"},
    ),
    # "He" after a report continues the reporter, not a person named inside the report.
    (
        "statement",
        "Spokesman Adam Kowal said the minister held talks with his Czech counterpart, Jan Dvorak, on "
        "defence cooperation. He stated also that the ministers visited three Czech companies.",
        {"speaker": "Adam Kowal", "quote": "the ministers visited three Czech companies"},
    ),
    # The reporter of a meeting takes no part in it; "the minister" is the person named with that title.
    (
        "meeting",
        "Minister of Defence, Mohammed Sani, and the Chief of Air Staff, Hassan Bello, are currently in "
        "Turkey. Spokesman Adam Kowal said the minister earlier held talks with his Turkish counterpart, "
        "Yasar Demir, on defence cooperation.",
        {"participants": ["Mohammed Sani", "Yasar Demir"]},
    ),
    # A speaker remarking during a meeting does take part in it.
    (
        "meeting",
        "During a meeting with Serbian President Aleksandar Vucic in Moscow in May 2025, Chinese President "
        "Xi Jinping remarked that the two countries were close friends.",
        {"participants": ["Aleksandar Vucic", "Xi Jinping"]},
    ),
    # An undated visit of one person joins the talks it was part of; alone it is a passing reference.
    (
        "meeting",
        "Twelve documents worth $2 billion were signed during the state visit of President William Ruto to "
        "China’s Xi’an. He was greeted by Chinese President Xi Jinping.",
        {"participants": ["William Ruto", "Xi Jinping"]},
    ),
    (
        "meeting",
        "Twelve documents were signed during the state visit of President William Ruto to Mexico.",
        None,
    ),
    # One person speaking at a forum, in no place the text names, is no meeting.
    (
        "meeting",
        "Taking the floor at the Kenyan-Chinese Business Roundtable on 18 May, William Ruto said that the "
        "talks were held at the highest level.",
        None,
    ),
    # Two banks "respectively", one named twice (its acronym in brackets): one loan each, own amount.
    (
        "loan",
        "Agreements were reached with both the China Development Bank and the Export-Import Bank of China "
        "(Eximbank) for loans to Ecuador worth US$ 1.4 billion and US$ 1.8 billion respectively.",
        {
            "lender": "Export-Import Bank of China",
            "borrower": "ECU",
            "value": {"amount": 1800000000, "currency": "USD"},
        },
    ),
    # Loans in general (a definition): no lender, borrower or amount in the sentence.
    (
        "loan",
        "Yen loans: cooperation in the form of loans to provide developing countries with funds under "
        "moderate conditions to finance the construction of roads.",
        None,
    ),
    # A name in quotation marks is not a quotation of speech; the marks are not part of the title.
    (
        "agreement",
        'Chile and Peru agreed on Sunday to elevate their relations to a "comprehensive strategic '
        'partnership".',
        {
            "parties": ["CHL", "PER"],
            "kind": "strategic_partnership",
            "title": "a comprehensive strategic partnership",
        },
    ),
    # "both central banks", like "both countries", names the two sides the document is about.
    (
        "agreement",
        "Argentina renewed its currency swap with China in 2023. The first agreement between both central "
        "banks was established in 2011.",
        {"parties": ["ARG", "CHN"], "signed": "2011"},
    ),
    (
        "agreement",
        "Norway's Boreal Shipping agreed to buy 51 percent of the port of Varna in May under a deal signed "
        "with the BSPA, Bulgaria's privatisation agency.",
        {"parties": ["NOR", "BSPA"]},
    ),
    # Reported speech: the named person in apposition to the subject phrase, however the parser hangs it.
    (
        "statement",
        "In reply, the deputy commander of the Norwegian Special Forces, Brigadier General Anders Hovland, "
        "said: “Today we begin the third joint exercise with our Polish friends.”",
        {"speaker": "Anders Hovland"},
    ),
    # A relay: the claim belongs to the person whose promise is relayed, and the relay is no second statement.
    (
        "statement",
        "The spokesman Jonas Brandt added that General Petr Novak had promised Slovakia every support "
        "required from the Czech army to modernise its forces.",
        {"speaker": "Petr Novak"},
    ),
    # A newspaper reports, citing a named officer: the claim is the officer's.
    (
        "statement",
        "The joint drills began on Monday with 300 Thai and 200 Lao soldiers taking part, the Bangkok Post "
        "reported, citing Colonel Somchai Wong, a spokesman for the Thai army.",
        {"speaker": "Somchai Wong"},
    ),
    (
        "statement",
        "Kenya's defence chief, General Peter Otieno, was quoted as saying that his country was buying new "
        "radars and patrol boats.",
        {"speaker": "Peter Otieno", "quote": "his country was buying new radars and patrol boats"},
    ),
    # Several unnamed people speaking together: not a statement of the last person named.
    (
        "statement",
        "Defence Minister Tomas Varga visited Prague on Monday. Analysts say Hungary sees the growing ties "
        "between the two states as a threat to its interests.",
        None,
    ),
    (
        "statement",
        "Foreign Minister Lena Holm met her Danish counterpart Mads Berg in Oslo on 3 May. The ministers "
        "also called for closer cooperation with the Nordic partners.",
        None,
    ),
    (
        "meeting",
        "The ministers visited three companies, including Aselsan, Roketsan and Havelsan, in March 2024.",
        {"participants": ["Aselsan", "Roketsan", "Havelsan"]},
    ),
]

FORBID: list[Forbid] = [
    # A relative clause that does not hold the loan says nothing of what it is for.
    (
        "loan",
        "Peru ordered 30 jets from France. The order, which follows the purchase in 2015 of 24 Rafale jets, "
        "will be financed by a 10-year loan, the army said.",
        "purpose",
        "the purchase in 2015 of 24 Rafale jets",
    ),
    # What a loan is for is never the loans themselves.
    (
        "loan",
        "Agreements were reached with both the China Development Bank and the Export-Import Bank of China "
        "for loans worth US$ 1.4 billion and US$ 1.8 billion respectively.",
        "purpose",
        "loans worth US$ 1.4 billion and US$ 1.8 billion respectively",
    ),
    # A state and its own ministry are one side.
    (
        "agreement",
        "Poland's Huta Stalowa Wola announced on 3 May that it has signed a contract with the Estonian "
        "Ministry of Defence to supply 24 howitzers.",
        "parties",
        "EST",
    ),
    (
        "statement",
        "The spokesman Jonas Brandt added that General Petr Novak had promised Slovakia every support "
        "required from the Czech army to modernise its forces.",
        "speaker",
        "Jonas Brandt",
    ),
    # "which he said": an aside inside a claim already reported is not a second statement.
    (
        "statement",
        "Kenya's defence chief, General Peter Otieno, was quoted as saying that his country was buying new "
        "radars and patrol boats which he said were being added to the fleet delivered last year.",
        "quote",
        "which he said were being added to the fleet delivered last year",
    ),
    # A company, a press office, a mall, a product: never a participant or a speaker.
    (
        "meeting",
        "Twelve documents were signed during the state visit of President William Ruto to Beijing, "
        "the news agency learned from the Akorda press office.",
        "participants",
        "Akorda",
    ),
    (
        "statement",
        "“The contract opens a new chapter,” Hanwha Aerospace said. “It also brings jobs,” he added.",
        "speaker",
        "Hanwha Aerospace",
    ),
]


@pytest.mark.parametrize(
    ("type_", "text", "expected"), EXPECT, ids=[f"{r[0]}-{i}" for i, r in enumerate(EXPECT)]
)
def test_expected_roles(nlp: Language, type_: str, text: str, expected: dict[str, Any] | None) -> None:
    got = [e.args for e in composed_events(nlp, text) if e.type == type_]
    if expected is None:
        assert not got, f"{text!r}: expected no {type_}, got {got}"
        return
    assert any(all(args.get(k) == v for k, v in expected.items()) for args in got), (
        f"{text!r}: expected {expected} among {got}"
    )


@pytest.mark.parametrize(
    ("type_", "text", "role", "value"), FORBID, ids=[f"{r[0]}-{i}" for i, r in enumerate(FORBID)]
)
def test_forbidden_roles(nlp: Language, type_: str, text: str, role: str, value: str) -> None:
    got = [e.args for e in composed_events(nlp, text) if e.type == type_]
    assert not any(_has(args.get(role), value) for args in got), f"{text!r}: {value!r} as {role} in {got}"


def test_a_participant_in_the_meeting_state_is_evidence_of_the_meeting(nlp: Language) -> None:
    """ "X was in Greece" cites the meeting X had there, adds no participant and is no meeting alone."""
    text = (
        "Defence ministers Nikos Papas of Greece and France's Florence Parly met in Athens on 24 March 2022. "
        "Parly was in Greece as NATO forces gathered in the region."
    )
    meetings = [e for e in composed_events(nlp, text) if e.type == "meeting"]
    assert len(meetings) == 1
    assert meetings[0].args["participants"] == ["Nikos Papas", "Florence Parly"]
    assert any(c.text.startswith("Parly was in Greece") for c in meetings[0].evidence)
    alone = [
        e for e in composed_events(nlp, "Florence Parly was in Greece on Monday.") if e.type == "meeting"
    ]
    assert not alone
