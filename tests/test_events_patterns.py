"""The pattern files under bilateral/events/lang/en/: valid spaCy patterns, loaded once, and a broken
file is a one-line error naming the file and the label, never a traceback from spaCy."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from bilateral.events.lang import PatternFileError, dependency_matcher, patterns
from bilateral.events.links import conjuncts, linked

ROLE_LABELS = {"SUBJ", "AGENT", "OBJ", "PREP_OBJECT", "MODIFIER", "APPOSITION", "CONJ"}


def test_role_patterns_are_valid_dependency_patterns(nlp: Language) -> None:
    assert set(patterns("roles")) >= ROLE_LABELS
    matcher = dependency_matcher(nlp.vocab, "roles")
    assert len(matcher) == len(patterns("roles"))


def test_links_found_by_the_role_patterns(nlp: Language) -> None:
    doc = nlp("Brazil sold eight patrol boats to Ghana and Togo, which were ordered by the Nigerian navy.")
    sold = next(t for t in doc if t.lemma_ == "sell")
    assert [t.text for t in linked(sold, "SUBJ")] == ["Brazil"]
    assert [t.text for t in linked(sold, "TO")] == ["Ghana"]
    assert [t.text for t in conjuncts(linked(sold, "TO")[0])] == ["Togo"]
    ordered = next(t for t in doc if t.lemma_ == "order")
    assert [t.text for t in linked(ordered, "AGENT")] == ["navy"]
    assert [t.text for t in linked(linked(ordered, "AGENT")[0], "MODIFIER")] == ["Nigerian"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"X": [[{"RIGHT_ID": "HEAD", "RIGHT_ATTRS": {"DEPP": "nsubj"}}]]}', "X: not a valid spaCy pattern"),
        (
            '{"Y": [[{"RIGHT_ID": "HEAD", "RIGHT_ATTRS": {}},'
            ' {"LEFT_ID": "NONE", "REL_OP": ">", "RIGHT_ID": "F", "RIGHT_ATTRS": {}}]]}',
            "Y: not a valid spaCy pattern",
        ),
        ('{"Z": [[{"RIGHT_ID": "HEAD"', "cannot read pattern file"),
        ('{"W": {"RIGHT_ID": "HEAD"}}', "W: expected a list of patterns"),
        ("[1, 2]", "an object of label -> list of patterns"),
    ],
)
def test_a_broken_pattern_file_is_a_clear_error(
    nlp: Language, tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PatternFileError) as err:
        dependency_matcher(nlp.vocab, "broken", path=path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and problem in message and "\n" not in message
