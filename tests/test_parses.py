"""Parse once (issue 18): each document's parse is stored, and an analysis with new rules reads it
instead of running the model; a changed text, another model or a removed document does not."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from spacy.tokens import DocBin

import bilateral
from bilateral.analysis import PARSE_ATTRS, Analysed, Parses, analyse_documents
from bilateral.models import Document, event_to_record
from bilateral.nlp import components
from bilateral.nlp.markup import mask
from bilateral.nlp.pipeline import _source, build, model_version


def _records(results: list[Analysed]) -> list[Any]:
    return [(d.id, [vars(m) for m in ms], [event_to_record(e) for e in es]) for d, ms, es in results]


def _documents(corpus: Path) -> list[Document]:
    docs = [Document(id=p.stem, text=p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("*.txt"))]
    # One text longer than a piece (analysis.CHUNK): its parse is several spaCy documents.
    return [*docs, Document(id="all", text="\n\n".join(d.text for d in docs))]


def test_a_stored_parse_gives_what_a_new_parse_gives(corpus: Path) -> None:
    nlp, docs = build(), _documents(corpus)
    first = Parses(nlp)
    plain = _records(list(analyse_documents(nlp, docs, parses=first)))
    assert set(first.made) == {d.id for d in docs}
    assert len(list(DocBin().from_bytes(first.made["all"].data).get_docs(nlp.vocab))) > 1
    again = Parses(nlp, first.made.get)
    assert _records(list(analyse_documents(nlp, docs, parses=again))) == plain
    assert again.reused == len(docs) and again.made == {}  # no document went through the model
    # In two forked processes, from the stored parses and without them.
    pooled = Parses(nlp, first.made.get)
    assert _records(list(analyse_documents(nlp, docs, n_process=2, parses=pooled))) == plain
    assert pooled.made == {}
    fresh = Parses(nlp)
    assert _records(list(analyse_documents(nlp, docs, n_process=2, parses=fresh))) == plain
    assert {d: p.text_sha for d, p in fresh.made.items()} == {d: p.text_sha for d, p in first.made.items()}


def test_a_parse_of_another_text_or_by_another_model_is_not_used(corpus: Path) -> None:
    nlp, doc = build(), _documents(corpus)[0]
    first = Parses(nlp)
    list(analyse_documents(nlp, [doc], parses=first))
    stored = first.made[doc.id]
    assert stored.model == model_version(nlp)
    assert stored.text_sha == hashlib.sha256(mask(doc.text).encode("utf-8")).hexdigest()
    # The same length of text with one word changed; the same text by an older model; a damaged parse.
    changed = Document(doc.id, doc.text.replace("Serbia", "Servia", 1))
    for text, parse in (
        (changed, stored),
        (doc, stored._replace(model="en_core_web_sm-3.0.0:0")),
        (doc, stored._replace(data=b"not a DocBin")),
    ):
        parses = Parses(nlp, {doc.id: parse}.get)
        list(analyse_documents(nlp, [text], parses=parses))
        assert parses.reused == 0 and doc.id in parses.made


def test_the_parse_version_covers_our_parse_time_code_and_not_the_rules() -> None:
    source = _source(components.newline_boundaries)
    assert "def _hard_wrapped" in source  # what it calls
    assert "BilateralEntities" not in source  # a rule: runs on the stored parse


def _stale(kb: bilateral.KnowledgeBase) -> None:
    """What new rules do: every document is one this analyser has not seen."""
    kb.store._run("UPDATE documents SET analysed_sha = NULL")


def _mentions(kb: bilateral.KnowledgeBase, doc: str) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.type) for m in kb.store.mentions(doc, doc)]


def test_reanalysis_reads_the_stored_parse_unless_another_model_made_it(
    db: str, corpus_copy: Path, tmp_path: Path
) -> None:
    with bilateral.open(db) as kb:
        kb.extract([corpus_copy], tmp_path / "out")
        ids = [d.id for d in kb.store.document_summaries()]
        assert kb.store.parse_size()[0] == len(ids)
        doc = ids[0]
        before = _mentions(kb, doc)
        stored = kb.store.parse(doc)
        tampered = _parse_without_entities(kb, doc)
        _stale(kb)
        kb.analyse(n_process=2)  # in two forked processes
        assert _mentions(kb, doc) != before  # the names only the model found are gone: it did not run
        kb.store._run("UPDATE parses SET model = 'en_core_web_sm-3.0.0:0' WHERE doc = ?", (doc,))
        _stale(kb)
        kb.analyse()
        assert _mentions(kb, doc) == before  # another model's parse: parsed again
        again = kb.store.parse(doc)
        assert stored is not None and again is not None and again.data != tampered
        assert again[:3] == (stored.text_sha, model_version(build()), stored.words)


def _parse_without_entities(kb: bilateral.KnowledgeBase, doc: str) -> bytes:
    """Store a document's parse as if the model had found no entities in it; returns it."""
    stored = kb.store.parse(doc)
    assert stored is not None
    pieces = list(DocBin().from_bytes(stored.data).get_docs(build().vocab))
    for piece in pieces:
        piece.ents = []
    data = DocBin(PARSE_ATTRS, docs=pieces).to_bytes()
    kb.store.put_parse(doc, stored._replace(data=data))
    return data


def test_the_ray_engine_stores_parses_and_reads_them(corpus_copy: Path, tmp_path: Path) -> None:
    import ray

    from bilateral.analysis import masked_text, text_sha
    from bilateral.distributed import extract as on_ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=512 * 1024**2)
    try:
        with bilateral.open(tmp_path / "kb.db") as kb:
            on_ray(kb, [corpus_copy], tmp_path / "out")
            ids = [d.id for d in kb.store.document_summaries()]
            shas = {d.id: text_sha(masked_text(d.text)) for d in kb.store.documents()}
            assert kb.store.parsed(model_version(build()), shas) == set(ids)
            before = _mentions(kb, ids[0])
            _parse_without_entities(kb, ids[0])
            _stale(kb)
            on_ray(kb, [corpus_copy], tmp_path / "out")
            assert _mentions(kb, ids[0]) != before
    finally:
        ray.shutdown()


def test_a_changed_text_is_parsed_again_and_a_removed_document_loses_its_parse(
    db: str, corpus_copy: Path, tmp_path: Path
) -> None:
    with bilateral.open(db) as kb:
        kb.extract([corpus_copy], tmp_path / "out")
        path = sorted(corpus_copy.glob("*.txt"))[0]
        doc = next(d.id for d in kb.store.document_summaries() if d.path.endswith(path.name))
        old = kb.store.parse(doc)
        path.write_text(
            path.read_text(encoding="utf-8") + "\n\nSerbia and China signed a trade deal.\n", "utf-8"
        )
        kb.extract([corpus_copy], tmp_path / "out")
        new, stored = kb.store.parse(doc), kb.store.document(doc)
        assert stored is not None and "signed a trade deal." in stored.text
        text = stored.text
        assert old is not None and new is not None and new.text_sha != old.text_sha
        assert new.text_sha == hashlib.sha256(mask(text).encode("utf-8")).hexdigest()
        assert new.words > old.words
        count = kb.store.parse_size()[0]
        kb.remove([doc])
        assert kb.store.parse(doc) is None and kb.store.parse_size()[0] == count - 1


def test_a_stored_parse_reads_as_spacy_reads_it(corpus: Path) -> None:
    """`docbin.read` (srsly's decoders looked up once) gives the documents `DocBin.from_bytes` gives."""
    from bilateral.nlp import docbin

    nlp = build()
    made = DocBin(attrs=PARSE_ATTRS)
    for doc in nlp.pipe(d.text for d in _documents(corpus)[:3]):
        made.add(doc)
    data = made.to_bytes()
    ours = [d.to_bytes() for d in docbin.read(data).get_docs(nlp.vocab)]
    assert ours == [d.to_bytes() for d in DocBin().from_bytes(data).get_docs(nlp.vocab)]
    assert len(ours) == 3


def test_a_pipeline_whose_weights_are_read_later_parses_as_spacy_load_does(corpus: Path) -> None:
    """`build(weights=False)` is the same pipeline (the same parse version) before its weights are
    read; once `load_weights` has read them, it parses exactly as the pipeline `spacy.load` gives."""
    import spacy

    from bilateral.nlp.pipeline import MODEL, RULES, _loaded, _pipeline, load_weights

    lazy = _pipeline.__wrapped__(True)  # a pipeline of its own, not the one other tests share
    assert lazy not in _loaded
    stock = spacy.load(MODEL)
    components.use_lookups(stock)
    stock.add_pipe("newline_boundaries", before="parser")
    assert model_version(lazy) == model_version(stock)
    load_weights(lazy)
    texts = [d.text for d in _documents(corpus)[:3]]
    ours, theirs = DocBin(attrs=PARSE_ATTRS), DocBin(attrs=PARSE_ATTRS)
    for doc in lazy.pipe(texts, disable=list(RULES)):
        ours.add(doc)
    for doc in stock.pipe(texts):
        theirs.add(doc)
    assert ours.to_bytes() == theirs.to_bytes()


_WEIGHTS_READ = """
import sys
import bilateral
from bilateral.analysis import analyser
from bilateral.nlp.pipeline import _loaded, build
db, processes, change = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
with bilateral.open(db) as kb:
    kb.store._run("UPDATE documents SET analysed_sha = NULL")
    if change:
        kb.store._run(change[0], change[1:])
    kb.analyse(n_process=processes)
    print(build(weights=False) in _loaded, len(kb.store.unanalysed(analyser())))
"""


def test_a_reanalysis_from_stored_parses_reads_no_weights(db: str, corpus_copy: Path, tmp_path: Path) -> None:
    """New rules on a corpus whose parses are all stored: the model's weights are never read, and
    the results are the same. When one document has no stored parse, or a stale one (made from
    its text as it was: a change to the masking), they are read once, before workers are forked,
    rather than by each worker."""
    import os
    import subprocess
    import sys

    from bilateral.analysis import masked_text, text_sha

    with bilateral.open(db) as kb:
        kb.extract([corpus_copy], tmp_path / "out")
        docs = kb.store.documents()
        ids = [d.id for d in docs]
        before = [_mentions(kb, d) for d in ids]
        events = sorted(e.id for e in kb.events())
        shas = {d.id: text_sha(masked_text(d.text)) for d in docs}
        assert {d: kb.store.parse(d).text_sha for d in ids} == shas  # type: ignore[union-attr]
    env = dict(os.environ, PYTHONPATH=str(Path(bilateral.__file__).parent.parent))
    stale = "UPDATE parses SET text_sha = 'of an older masking' WHERE doc = ?"
    for processes, change, read in (
        (1, [], "False"),
        (2, [], "False"),  # nor in the workers: the parent reads none, so none were inherited
        (1, ["DELETE FROM parses WHERE doc = ?", ids[0]], "True"),
        (2, [stale, ids[1]], "True"),
    ):
        run = subprocess.run(
            [sys.executable, "-c", _WEIGHTS_READ, db, str(processes), *change],
            capture_output=True,
            text=True,
            env=env,
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.split() == [read, "0"], (processes, change)
        with bilateral.open(db) as kb:
            assert [_mentions(kb, d) for d in ids] == before
            assert sorted(e.id for e in kb.events()) == events
            assert kb.store.parse_size()[0] == len(ids)
            assert {d: kb.store.parse(d).text_sha for d in ids} == shas  # type: ignore[union-attr]


def test_the_store_finds_the_parses_made_by_a_model_from_the_text_as_it_is(db: str) -> None:
    from bilateral.store import open_store
    from bilateral.store.parses import StoredParse

    store = open_store(db)
    try:
        for doc in ("a", "b", "c", "d"):
            store.put_document(Document(id=doc, text=f"Text {doc}.", path=f"{doc}.txt"), [])
        store.put_parse("a", StoredParse("sha-a", "model-1", 2, b"a"))
        store.put_parse("b", StoredParse("sha-b", "model-1", 2, b"b"))
        store.put_parse("c", StoredParse("sha-c", "model-0", 2, b"c"))
        now = {"a": "sha-a", "b": "sha-b2", "c": "sha-c", "d": "sha-d"}  # b's text changed; d has none
        assert store.parsed("model-1", now) == {"a"}
        assert store.parsed("model-0", now) == {"c"}
        assert store.parsed("model-1", {"b": "sha-b"}) == {"b"} and store.parsed("model-1", {}) == set()
    finally:
        store.close()


def _older_analyser(kb: bilateral.KnowledgeBase) -> None:
    """The state after an analysis and consolidation by another version of the rules."""
    kb.store._run("UPDATE documents SET analysed_sha = sha256 || ':older'")
    kb.store._run("UPDATE consolidated SET analysed = (SELECT analysed_sha FROM documents WHERE id = doc)")


def _exported(kb: bilateral.KnowledgeBase, out: Path) -> dict[str, str]:
    kb.export(out)
    return {name: (out / name).read_text(encoding="utf-8") for name in ("entities.jsonl", "events.jsonl")}


def test_new_rules_consolidate_again_only_the_documents_whose_results_they_change(
    db: str, corpus_copy: Path, tmp_path: Path
) -> None:
    with bilateral.open(db) as kb:
        kb.extract([corpus_copy], tmp_path / "out")
        built = _exported(kb, tmp_path / "built")
        ids = [d.id for d in kb.store.document_summaries()]
        # New rules that change no document's results: every document is analysed again (from its
        # stored parse), none is consolidated again.
        _older_analyser(kb)
        assert kb.analyse() == len(ids)
        assert kb.store.consolidation_meta("consolidation_mode") == "incremental"
        assert kb.store.touched_documents() == ([], [])
        assert _exported(kb, tmp_path / "same") == built
        # Rules that change one document's results (the older ones had missed a mention in it):
        # that document is consolidated again, with what a full consolidation gives.
        _older_analyser(kb)
        kb.store._run("DELETE FROM mentions WHERE doc = ? AND type = 'state'", (ids[0],))
        kb.analyse()
        assert kb.store.consolidation_meta("consolidation_mode") == "incremental"
        assert _exported(kb, tmp_path / "one") == built
        kb.consolidate()  # nothing touched since
        kb.store._run("DELETE FROM meta WHERE key = 'consolidated'")  # no state kept: a full run
        kb.consolidate()
        assert kb.store.consolidation_meta("consolidation_mode") == "full: no earlier run's state"
        assert _exported(kb, tmp_path / "full") == built


def test_an_analysis_leaves_nothing_out_of_the_callers_garbage_collection(tmp_path: Path) -> None:
    """What is loaded is out of the collector's sight only while documents are analysed
    (`frozen_heap`): afterwards a reference cycle the caller made before is collected as before."""
    import gc
    import weakref

    class Node:
        pass

    cycle = Node()
    cycle.itself = cycle  # type: ignore[attr-defined]
    collected = weakref.ref(cycle)
    text = tmp_path / "a.txt"
    text.write_text("Serbia bought six drones from China in 2020.\n", encoding="utf-8")
    with bilateral.open(tmp_path / "kb.db") as kb:
        kb.ingest([text])
        assert kb.analyse(n_process=1) == 1
        assert gc.get_freeze_count() == 0
        kb.extract([text], tmp_path / "out")  # its analysis's freeze nested in its own
    assert gc.get_freeze_count() == 0
    from typer.testing import CliRunner

    from bilateral.cli import app

    command = ["extract", str(text), "--out", str(tmp_path / "cli"), "--db", str(tmp_path / "cli.db")]
    assert CliRunner().invoke(app, command).exit_code == 0  # the command freezes as `extract` does
    assert gc.get_freeze_count() == 0
    del cycle
    gc.collect()
    assert collected() is None


def test_a_nested_frozen_heap_stays_frozen_until_the_outermost_ends() -> None:
    import gc

    from bilateral.analysis import frozen_heap

    with frozen_heap():
        with frozen_heap():
            pass
        assert gc.get_freeze_count() > 0  # the inner level left the outer's freeze in place
    assert gc.get_freeze_count() == 0


def test_a_pipeline_asked_for_its_version_is_freed_with_its_last_reference() -> None:
    import gc
    import weakref

    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    version = model_version(nlp)
    assert model_version(nlp) == version
    gone = weakref.ref(nlp)
    del nlp
    gc.collect()
    assert gone() is None
