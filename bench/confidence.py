"""Precision per confidence band on the development sets: is `confidence` calibrated?

    python bench/confidence.py OUT...   # from `bilateral extract ../shared/corpus/SET --out OUT`

Each folder's name ends in its set's name (e.g. /tmp/x/devset-a); events are matched to the gold
events by ../shared/eval/score.py itself (an event it does not list as spurious is a match).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
BANDS = [(0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]


def _scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("outs", nargs="+", type=Path)
    args = parser.parse_args()
    score = _scorer()
    counts = {band: [0, 0] for band in BANDS}
    for out in args.outs:
        gold_set = next(s for s in ("china-serbia", "devset-a", "devset-b") if out.name.endswith(s))
        gold = score.read_jsonl(str(SHARED / "gold" / f"{gold_set}.events.jsonl"))
        events = score.read_jsonl(str(out / "events.jsonl"))
        docs = {d["doc"]: d["text"] for d in score.read_jsonl(str(out / "documents.jsonl"))}
        spurious = {
            json.dumps(e, sort_keys=True) for e in score.score(gold, events, docs)["errors"]["spurious"]
        }
        for e in events:
            if e["type"] not in score.KEY_ROLES:
                continue
            band = next(b for b in BANDS if b[0] <= e.get("confidence", 0) < b[1])
            counts[band][0] += 1
            counts[band][1] += json.dumps(e, sort_keys=True) not in spurious
    print(f"{'confidence':>12} {'events':>7} {'matched':>8} {'precision':>10}")
    for (lo, hi), (n, hit) in counts.items():
        print(f"{lo:.1f}–{min(hi, 1.0):.1f}".rjust(12), f"{n:>7} {hit:>8} {hit / n if n else 0:>10.2f}")


if __name__ == "__main__":
    main()
