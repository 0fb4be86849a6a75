"""The Ray engine on a real local Ray: the same results as the local engine, from every input kind."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bilateral
from bilateral.distributed import extract as on_ray
from bilateral.models import Document

from .conftest import CORPUS, EXAMPLES


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """One local Ray for the module (each engine call would otherwise start and stop its own),
    sized as the engine sizes it on two cores: a CPU for each of two actors."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=512 * 1024**2)
    yield
    ray.shutdown()


def _read(folder: Path) -> dict[str, str]:
    return {f: (folder / f).read_text(encoding="utf-8") for f in ("events.jsonl", "entities.jsonl")}


def test_ray_and_local_give_identical_exports(ray_cluster: None, sample_db: Path, tmp_path: Path) -> None:
    with bilateral.open(tmp_path / "ray.db") as kb:
        report = on_ray(kb, [CORPUS], tmp_path / "ray")
    assert report.ok and len(report.ingested) == 5
    assert _read(tmp_path / "ray") == _read(sample_db.parent / "out")


def test_an_actor_reads_the_weights_only_for_a_document_without_a_stored_parse(
    ray_cluster: None, sample_db: Path
) -> None:
    import importlib

    import ray

    from bilateral.distributed import Analyser

    with bilateral.open(sample_db, readonly=True) as kb:
        docs = kb.documents()
        stored = [kb.store.parse(d.id) for d in docs]
    assert all(stored)
    actor: Any = ray.remote(num_cpus=1)(Analyser).remote()  # Ray's stubs know no actor methods
    try:

        def weights_read() -> bool:  # in the actor's process
            return bool(
                ray.get(
                    actor.__ray_call__.remote(
                        lambda a: a.nlp in importlib.import_module("bilateral.nlp.pipeline")._loaded
                    )
                )
            )

        batch = [d.__dict__ for d in docs]
        assert not weights_read()  # built without them
        restored = ray.get(actor.__call__.remote(batch, stored))
        assert all("error" not in json.loads(r) and made is None for r, made in restored)
        assert not weights_read()  # every document restored from its parse
        parsed = ray.get(actor.__call__.remote(batch, [None, *stored[1:]]))
        assert weights_read()  # the first had none: parsed, with the weights
        assert [r for r, _ in parsed] == [r for r, _ in restored]
        assert [made is not None for _, made in parsed] == [True] + [False] * (len(docs) - 1)
    finally:
        ray.kill(actor)


def test_a_document_that_fails_in_an_actor_fails_alone(ray_cluster: None) -> None:
    import ray

    from bilateral.distributed import Analyser

    # A lone surrogate, which spaCy's tokenizer raises for (for its whole batch): only that
    # document fails, with the codec's message; the others' results and parses are as without it.
    texts = [f"Peru and Chile signed a trade agreement in {2000 + i}." for i in range(4)]
    texts.insert(2, "Kenya and Ghana signed a trade agreement in 2019. \ud800")
    batch = [Document(id=f"d{i}", text=t).__dict__ for i, t in enumerate(texts)]
    actor: Any = ray.remote(num_cpus=1)(Analyser).remote()  # Ray's stubs know no actor methods
    try:
        found = ray.get(actor.__call__.remote(batch, [None] * len(batch)))
        alone = ray.get(actor.__call__.remote(batch[:2] + batch[3:], [None] * 4))
    finally:
        ray.kill(actor)
    rows = [json.loads(r) for r, _ in found]
    assert rows[2]["error"].startswith("UnicodeEncodeError: 'utf-8' codec"), rows[2]
    assert [r for i, (r, _) in enumerate(found) if i != 2] == [r for r, _ in alone]
    assert all(r["candidates"] for i, r in enumerate(rows) if i != 2)
    assert [made is not None for _, made in found] == [True, True, False, True, True]


def test_collections_in_and_bad_rows_reported(ray_cluster: None, tmp_path: Path) -> None:
    # A JSON-lines collection made from the shipped examples, with two bad rows among them.
    local = tmp_path / "local"
    with bilateral.open(tmp_path / "from-files.db") as kb:
        kb.extract([EXAMPLES], local)
    rows = (local / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    collection = tmp_path / "docs.jsonl"
    collection.write_text("\n".join([rows[0], '{"doc": "empty", "text": ""}', "not json", *rows[1:]]) + "\n")
    with bilateral.open(tmp_path / "ray.db") as kb:
        report = on_ray(kb, [collection], tmp_path / "ray")
    with bilateral.open(tmp_path / "local.db") as kb:
        local_report = kb.ingest([collection])
        kb.analyse()
        kb.export(tmp_path / "local-collection")
    assert len(report.ingested) == len(rows) == len(local_report.ingested)
    assert len(report.failed) == len(local_report.failed) == 2
    assert any("empty" in problem and "no text" in problem for _, problem in report.failed)
    assert _read(tmp_path / "ray") == _read(tmp_path / "local-collection")
    events = [json.loads(line) for line in (tmp_path / "ray" / "events.jsonl").open()]
    assert events and all(e["evidence"] for e in events)


def test_parquet_collection(ray_cluster: None, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))[:2]}
    table = pa.table({"doc": list(texts), "text": list(texts.values()), "published": ["2025-07-15"] * 2})
    pq.write_table(table, tmp_path / "docs.parquet")
    with bilateral.open(tmp_path / "ray.db") as kb:
        report = on_ray(kb, [tmp_path / "docs.parquet"], tmp_path / "ray")
        assert report.ok and sorted(report.ingested) == sorted(texts)
        assert kb.events()


def test_cli_engine_option(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bilateral",
            "extract",
            str(EXAMPLES),
            "--out",
            str(tmp_path / "o"),
            "--db",
            str(tmp_path / "kb.db"),
            "--engine",
            "spark",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "unknown engine" in run.stderr


def test_same_named_files_are_two_documents_on_both_engines(ray_cluster: None, tmp_path: Path) -> None:
    # On Ray a new file with an existing document's name used to overwrite that document.
    texts = {
        "a": "Serbia and China signed a free trade agreement in Belgrade on 3 May 2021.\n",
        "b": "Egypt bought 24 Rafale fighters from France, officials in Cairo said in 2015.\n",
    }
    for folder, text in texts.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(text, encoding="utf-8")
    found = {}
    for engine in ("ray", "local"):
        with bilateral.open(tmp_path / f"{engine}.db") as kb:
            for folder in texts:  # one run per folder: the second finds the name taken
                if engine == "ray":
                    assert on_ray(kb, [tmp_path / folder], tmp_path / engine).ok
                else:
                    kb.extract([tmp_path / folder], tmp_path / engine)
            found[engine] = {d.id: d.text for d in kb.documents()}
    assert found["ray"] == found["local"]
    assert len(found["ray"]) == 2 and found["ray"]["report"] == texts["a"]


def test_without_ray_the_engine_says_how_to_install_it(tmp_path: Path) -> None:
    # In a process of its own, where importing ray fails as it does when it is not installed.
    script = f"""
import sys
sys.modules["ray"] = None
import bilateral
from bilateral.distributed import ClusterError, extract
with bilateral.open({str(tmp_path / "kb.db")!r}) as kb:
    try:
        extract(kb, [{str(EXAMPLES)!r}], {str(tmp_path / "out")!r})
    except ClusterError as exc:
        print("refused:", exc)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert "refused: the Ray engine needs Ray" in run.stdout and "bilateral[ray]" in run.stdout, run.stderr
