"""The extractor on the two development sets of real articles (issue 14), scored by the shared scorer.

The rules were written reading devset-a's errors; devset-b's were read from the seventh round on
(before it, 0.69 there was the held-out figure). The floors are just under the figures reached, so
that a change that loses ground on either set fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import bilateral

from .conftest import SCORER, SHARED

FLOORS = {"devset-a": 0.92, "devset-b": 0.88}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_development_set_scores(name: str, tmp_path: Path) -> None:
    corpus, gold = SHARED / "corpus" / name, SHARED / "gold" / f"{name}.events.jsonl"
    assert corpus.is_dir() and gold.is_file(), f"development set {name} is missing under {SHARED}"
    out = tmp_path / "out"
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.extract([corpus], out)
    cmd = [sys.executable, str(SCORER), str(gold), str(out / "events.jsonl")]
    cmd += ["--documents", str(out / "documents.jsonl"), "--json"]
    overall = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)["overall"]
    assert overall["grounding"] == 1.0
    assert overall["f1"] >= FLOORS[name] and overall["role_f1"] >= 0.86
