"""Event F1 on the development sets, one table per set and the combined table (issue 14).

    .venv/bin/python bench/eval.py [--sets china-serbia devset-a devset-b] [--errors devset-a] [--no-extract]

Each set is extracted with `python -m bilateral extract` into `--out` (default /tmp/bilateral-eval) and
scored with the shared scorer (`../shared/eval/score.py`). The combined table concatenates the gold files
and the outputs (document ids are distinct across sets). `--errors SET` lists that set's missed and
spurious events: name only the sets whose errors you mean to read, so a held-out set stays unseen.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
SETS = ("china-serbia", "devset-a", "devset-b")


def extract(name: str, out: Path) -> None:
    """Run the CLI on one corpus folder into a fresh output folder and database."""
    folder, db = out / name, out / f"{name}.db"
    subprocess.run(["rm", "-rf", str(folder), str(db)], check=True)
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    cmd = [sys.executable, "-m", "bilateral", "extract", str(SHARED / "corpus" / name)]
    cmd += ["--out", str(folder), "--db", str(db)]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)


def score(gold: Path, events: Path, documents: Path, errors: bool) -> None:
    """Print the scorer's table (and errors when asked) for one gold/output pair."""
    cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(events)]
    cmd += ["--documents", str(documents)]
    subprocess.run([*cmd, "--errors"] if errors else cmd, check=True)


def concat(paths: list[Path], target: Path) -> Path:
    """Concatenate JSON-lines files (the scorer reads one file per side)."""
    with target.open("w", encoding="utf-8") as fh:
        for path in paths:
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    json.loads(line)
                    fh.write(line + "\n")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--errors", nargs="*", default=[], help="sets whose missed/spurious events to list")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bilateral-eval")
    parser.add_argument("--no-extract", action="store_true", help="score the outputs already in --out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.sets:
        if not (SHARED / "corpus" / name).is_dir():
            sys.exit(f"{SHARED / 'corpus' / name}: no such development set")
        if not args.no_extract:
            extract(name, args.out)
        folder = args.out / name
        if not (folder / "events.jsonl").is_file():
            sys.exit(f"{folder}: no events.jsonl to score (run without --no-extract first)")
        print(f"\n=== {name}")
        gold = SHARED / "gold" / f"{name}.events.jsonl"
        score(gold, folder / "events.jsonl", folder / "documents.jsonl", name in args.errors)
    if len(args.sets) > 1:
        print(f"\n=== combined ({' + '.join(args.sets)})")
        parts = [args.out / name for name in args.sets]
        score(
            concat([SHARED / "gold" / f"{name}.events.jsonl" for name in args.sets], args.out / "gold.jsonl"),
            concat([p / "events.jsonl" for p in parts], args.out / "events.jsonl"),
            concat([p / "documents.jsonl" for p in parts], args.out / "documents.jsonl"),
            False,
        )


if __name__ == "__main__":
    main()
