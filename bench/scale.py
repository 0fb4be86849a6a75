"""Scale: extraction throughput (local and Ray), peak memory, database size and query latency.

    .venv/bin/python bench/scale.py [--sizes 1000,10000,100000] [--extract-max 1000]

The synthetic corpus. Each document is 12 sentences drawn (seeded) from the sample corpus's
sentences, with two substitutions so that fusion has real work: the pair of states is replaced
by one of eight pairs (names, demonyms and capitals, from the lexicon), and every year is
shifted by one of -2..+2. Some events therefore recur in many documents with the same values,
others disagree on a year, and the states vary.

Extraction is measured (wall time, words/s, peak memory of the `bilateral extract` process
and its children) for every size up to --extract-max: one process (`--processes 1`), the local
engine's default (two spaCy processes from 64 documents), and Ray. Query
latency is measured at every size on SQLite and on PostgreSQL (a throwaway server): for sizes
above --extract-max the database is the extracted one replicated (documents, sentences,
mentions, candidates, entities, events and their indexes copied under new ids), which is what
a larger corpus of the same kind stores (PostgreSQL is then vacuumed and analysed). Queries:
`Store.timeline` (first 100 events of one actor by date), `Store.entity_documents` (a person's
documents with their mention counts, as the entity page shows them) and `Store.search` (20
hits); p50/p95 in milliseconds over 50 runs. Then the corpus stages run on it in a process of their
own (resolution and fusion of every mention and candidate, then the three JSON-lines exports):
their time and peak memory, which is what bounds memory at scale (the per-document stages
stream).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bilateral.analysis import analyser
from bilateral.consolidate import actor_index
from bilateral.nlp.lexicon import load
from bilateral.store import open_store, pgserver
from bilateral.store.base import Store

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "china-serbia"
PAIRS = [("CHN", "SRB"), ("RUS", "HUN"), ("TUR", "AZE"), ("USA", "POL"), ("FRA", "IND"), ("CHN", "PAK"),
         ("DEU", "UKR"), ("JPN", "PHL")]  # fmt: skip
SENTENCES_PER_DOC = 12


def synthetic(n: int, out: Path, seed: int = 7) -> int:
    """Write n documents to a JSON-lines collection; return the number of words."""
    rng = random.Random(seed)
    sentences = [
        s.strip()
        for p in sorted(CORPUS.glob("*.txt"))
        for s in re.split(r"(?<=[.!?])\s+", p.read_text(encoding="utf-8"))
        if 40 < len(s.strip()) < 400
    ]
    states = load().states
    words = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            a, b = (states[c] for c in rng.choice(PAIRS))
            shift = rng.randint(-2, 2)
            body = " ".join(rng.choice(sentences) for _ in range(SENTENCES_PER_DOC))
            for old, new in ((states["CHN"], a), (states["SRB"], b)):
                for x, y in zip(
                    (old.name, *old.demonyms, *old.capitals),
                    (new.name, *new.demonyms, *new.capitals),
                    strict=False,
                ):
                    body = re.sub(rf"\b{re.escape(x)}\b", y, body)
            body = re.sub(r"\b(19[5-9]\d|20[0-2]\d)\b", lambda m, d=shift: str(int(m.group()) + d), body)
            words += len(body.split())
            row = {"doc": f"syn{i:06d}", "text": body, "published": f"{2025 + shift}-06-01"}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return words


ENGINES = {  # what each engine name in --engines runs
    "single": ["--engine", "local", "--processes", "1"],
    "local": ["--engine", "local"],
    "ray": ["--engine", "ray"],
}


def extract(corpus: Path, db: str, out: Path, engine: str) -> tuple[float, float]:
    """Run `bilateral extract`; (seconds, peak resident MB of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    command = [sys.executable, "-m", "bilateral", "extract", str(corpus), "--out", str(out), "--db", db]
    subprocess.run([*command, *ENGINES[engine]], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return seconds, peak / 1024


def replicate(source: str, target: str, times: int) -> None:
    """`target` holds the analysed knowledge base in `source` `times` over, under new ids.

    The first copy goes through bilateral's API; the others are SQL copies of it (ids with a
    `~k` suffix), which is how a corpus `times` as large of the same kind is stored.
    """
    src, dst = open_store(source), open_store(target)
    for d in src.documents():
        dst.put_document(d, src.sentences(d.id))
        dst.put_analysis(d, src.mentions(d.id, d.id), src.candidates(d.id, d.id), analyser())
    dst.put_entities(src.entities(with_mentions=False))
    with dst._write():
        dst._run(
            "INSERT INTO entity_documents SELECT entity_id, doc, count(*) FROM mentions"
            " WHERE entity_id IS NOT NULL GROUP BY entity_id, doc"
        )
    events, countries = src.events(), src.countries()
    dst.put_events(events, {e.id: actor_index(e, countries) for e in events})
    src.close()
    sentences = 'doc, idx, start, "end"' + (", tsv" if dst.dialect == "postgres" else "")
    copies = [
        "INSERT INTO documents (id, path, sha256, format, title, source, published, url, kind, encoding,"
        " extra, text, analysed_sha) SELECT id || ?, path || ?, sha256, format, title, source, published,"
        " url, kind, encoding, extra, text, analysed_sha FROM documents WHERE id NOT LIKE '%~%'",
        f"INSERT INTO sentences ({sentences}) SELECT doc || ?, {sentences.split(', ', 1)[1]} FROM sentences"
        " WHERE doc NOT LIKE '%~%'",
        'INSERT INTO mentions SELECT doc || ?, start, "end", text, type, subtype, iso3, key, entity_id'
        " FROM mentions WHERE doc NOT LIKE '%~%'",
        "INSERT INTO candidates SELECT doc || ?, seq, type, replace(data, '\"doc\": \"' || doc || '\"',"
        " '\"doc\": \"' || doc || ? || '\"') FROM candidates WHERE doc NOT LIKE '%~%'",
        "INSERT INTO entity_documents SELECT entity_id, doc || ?, mentions FROM entity_documents"
        " WHERE doc NOT LIKE '%~%'",
        "INSERT INTO events SELECT id || ?, type, date, modality, sources, data FROM events"
        " WHERE id NOT LIKE '%~%'",
        'INSERT INTO evidence SELECT event_id || ?, doc || ?, start, "end", text FROM evidence'
        " WHERE event_id NOT LIKE '%~%'",
        "INSERT INTO event_actors SELECT event_id || ?, role, value, type, date FROM event_actors"
        " WHERE event_id NOT LIKE '%~%'",
    ]
    if dst.dialect == "sqlite":
        copies.append(
            'INSERT INTO sentences_fts (text, doc, start, "end") SELECT text, doc || ?, start, "end"'
            " FROM sentences_fts WHERE doc NOT LIKE '%~%'"
        )
    for k in range(1, times):
        with dst._write():
            for sql in copies:
                dst._run(sql, (f"~{k}",) * sql.count("?"))
    if dst.dialect == "postgres":  # after a bulk load, as autovacuum would before long
        dst._run("VACUUM ANALYZE")
    dst.close()


def latency(store: Store) -> dict[str, tuple[float, float]]:
    entity = store._run("SELECT id FROM entities WHERE type = 'person' ORDER BY id LIMIT 1")[0]["id"]
    queries = {
        "timeline": lambda: store.timeline("SRB", 100),
        "entity": lambda: store.entity_documents(entity),
        "search": lambda: store.search("drones", 20),
    }
    out = {}
    for name, query in queries.items():
        query()
        times = []
        for _ in range(50):
            start = time.perf_counter()
            query()
            times.append((time.perf_counter() - start) * 1000)
        out[name] = (statistics.median(times), statistics.quantiles(times, n=20)[-1])
    return out


# Resolution, fusion and export of a whole knowledge base, in a process of its own.
CONSOLIDATE = """
import resource, sys
from bilateral.kb import KnowledgeBase
with KnowledgeBase(sys.argv[1]) as kb:
    kb.consolidate()
    kb.export(sys.argv[2])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def consolidation(db: str, out: Path) -> tuple[float, float]:
    """Consolidate and export `db`: (seconds, peak resident MB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CONSOLIDATE, db, str(out)], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - start, int(done.stdout.split()[-1]) / 1024


def size_of(db: str) -> float:
    if db.startswith("postgresql://"):
        store = open_store(db)
        mb = store._run("SELECT pg_database_size(current_database()) AS n")[0]["n"] / 1e6
        store.close()
        return float(mb)
    return sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*")) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--extract-max", type=int, default=1000)
    parser.add_argument("--engines", default="single,local,ray")
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base = min(sizes)
    with tempfile.TemporaryDirectory() as tmp, pgserver.server() as pg:
        root = Path(tmp)
        print(f"{'docs':>7} {'engine':>6} {'seconds':>8} {'words/s':>8} {'peak MB':>8}")
        extracted: dict[int, str] = {}
        for n in sizes:
            if n > args.extract_max:
                continue
            corpus = root / f"corpus{n}.jsonl"
            words = synthetic(n, corpus)
            for engine in args.engines.split(","):
                db = str(root / f"{engine}{n}.db")
                seconds, peak = extract(corpus, db, root / f"out{engine}{n}", engine)
                print(f"{n:>7} {engine:>6} {seconds:8.1f} {words / seconds:8.0f} {peak:8.0f}", flush=True)
                extracted.setdefault(n, db)
        print(
            f"\n{'docs':>7} {'backend':>8} {'DB MB':>7}  "
            + "  ".join(f"{q + ' p50/p95 ms':>22}" for q in ("timeline", "entity", "search"))
            + f"  {'consolidate s':>13} {'peak MB':>8}"
        )
        seed = extracted[base]
        for n in sizes:
            for backend in args.backends.split(","):
                db = str(root / f"q{n}.db") if backend == "sqlite" else pgserver.new_database(pg, f"q{n}_")
                if n in extracted and backend == "sqlite":
                    db = extracted[n]
                else:
                    replicate(seed, db, n // base)
                store = open_store(db, readonly=True)
                lat = latency(store)
                store.close()
                cells = "  ".join(f"{p50:10.1f} /{p95:9.1f}" for p50, p95 in lat.values())
                mb = size_of(db)
                seconds, peak = consolidation(db, root / f"export{n}{backend}")
                print(f"{n:>7} {backend:>8} {mb:7.0f}  {cells}  {seconds:13.0f} {peak:8.0f}", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    main()
