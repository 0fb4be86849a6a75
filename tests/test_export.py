"""Exports on the sample corpus: FollowTheMoney, GraphML, GEXF and CSV, read back by their tools."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from followthemoney import model

from bilateral import views

EXPORTED = {"ftm": "kb.ftm.json", "graphml": "kb.graphml", "gexf": "kb.gexf", "csv": "csv"}


@pytest.fixture(scope="module")
def exported(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every export of the sample knowledge base made twice, each by its own `bilateral export`
    process (into folders 1 and 2), the processes run side by side."""
    folder = tmp_path_factory.mktemp("exported")
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bilateral",
                "export",
                what,
                "-o",
                str(folder / n / name),
                "--db",
                str(sample_db),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for what, name in EXPORTED.items()
        for n in ("1", "2")
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    return folder / "1"


def test_ftm_entities_validate_and_load_in_ftm_tools(exported: Path, tmp_path: Path) -> None:
    out = exported / "kb.ftm.json"
    rows = [json.loads(line) for line in out.open(encoding="utf-8")]
    schemata = {r["schema"] for r in rows}
    assert {"Person", "Article", "Documentation", "Ownership", "Debt", "Contract", "Event"} <= schemata
    for row in rows:
        proxy = model.get_proxy(row)
        assert proxy.schema.validate(proxy.to_dict()) is None, row
    by_id = {r["id"]: r for r in rows}
    for row in rows:  # every link points at an entity in the file
        schema = model.get(row["schema"])
        assert schema is not None
        for prop, values in row["properties"].items():
            if schema.get(prop).type.name == "entity":  # type: ignore[union-attr]
                assert all(v in by_id for v in values), (row["id"], prop)
    assert sum("owner" in r["properties"] for r in rows if r["schema"] == "Ownership") >= 2
    smederevo = next(
        r for r in rows if r["schema"] == "Ownership" and "Železara" in json.dumps(r, ensure_ascii=False)
    )
    owner = by_id[smederevo["properties"]["owner"][0]]
    assert "Hebei Iron and Steel" in owner["properties"]["name"][0]
    links = [r for r in rows if r["schema"] == "Documentation"]
    assert all(by_id[link["properties"]["document"][0]]["schema"] == "Article" for link in links)
    # The ftm command line re-parses and validates the file; nothing may be dropped.
    checked = tmp_path / "checked.json"
    subprocess.run(
        [str(Path(sys.executable).parent / "ftm"), "validate", "-i", str(out), "-o", str(checked)], check=True
    )
    assert len(checked.read_text(encoding="utf-8").splitlines()) == len(rows)


def test_graphml_and_gexf_load_in_networkx(exported: Path) -> None:
    graph = nx.read_graphml(exported / "kb.graphml")
    assert graph.nodes["CHN"]["label"] == "China" and graph.nodes["SRB"]["kind"] == "state"
    arms = [d for _, _, d in graph.edges(data=True) if d["type"] == "arms_transfer"]
    assert any("FK-3" in d["summary"] and d["date"] == "2022" for d in arms)
    assert all(d["sources"] for _, _, d in graph.edges(data=True))
    gexf = nx.read_gexf(exported / "kb.gexf")
    assert gexf.number_of_edges() == graph.number_of_edges()


def test_csv_folder_has_one_file_per_register(exported: Path) -> None:
    names = sorted(p.name for p in (exported / "csv").iterdir())
    expected = sorted([*views.REGISTERS, "conflicts", "entities", "events", "quotes", "sources", "timeline"])
    assert names == [f"{n}.csv" for n in expected]
    with (exported / "csv" / "arms.csv").open(encoding="utf-8") as fh:
        arms = list(csv.DictReader(fh))
    assert {r["designation"] for r in arms} >= {"FK-3", "CH-92A", "FT-8C"}


def test_exports_are_deterministic(exported: Path) -> None:
    # Two processes (each with its own hash seed) write the same bytes.
    for what, name in EXPORTED.items():
        first, second = exported / name, exported.parent / "2" / name
        files = sorted(p.name for p in first.iterdir()) if first.is_dir() else [""]
        for f in files:
            assert (first / f).read_bytes() == (second / f).read_bytes(), (what, f)


def test_exports_appear_whole_or_not_at_all(tmp_path: Path) -> None:
    from bilateral.export import atomic, write_jsonl

    target = tmp_path / "out" / "events.jsonl"
    assert write_jsonl(target, ['{"a": 1}', '{"a": 2}']) == 2

    def failing() -> Iterator[str]:
        yield '{"a": 3}'
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        write_jsonl(target, failing())
    assert target.read_text(encoding="utf-8") == '{"a": 1}\n{"a": 2}\n'  # the old file, whole
    assert sorted(p.name for p in target.parent.iterdir()) == ["events.jsonl"]
    with atomic(tmp_path / "out" / "g.graphml", "wb") as fh:
        fh.write(b"<graphml/>")
    assert (tmp_path / "out" / "g.graphml").read_bytes() == b"<graphml/>"
    assert oct((tmp_path / "out" / "g.graphml").stat().st_mode & 0o777) != oct(0o600)


def test_a_killed_export_leaves_the_old_file_and_its_leftover_is_cleared(tmp_path: Path) -> None:
    target = tmp_path / "events.jsonl"
    target.write_text("old\n", encoding="utf-8")
    code = (
        "import sys, time\n"
        "from bilateral.export import atomic\n"
        f"with atomic({str(target)!r}) as fh:\n"
        "    fh.write('new, half written\\n'); fh.flush(); print('writing', flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    child.kill()
    child.wait()
    assert target.read_text(encoding="utf-8") == "old\n"
    assert len(list(tmp_path.glob(".events.jsonl.*.tmp"))) == 1
    from bilateral.export import write_jsonl

    write_jsonl(target, ["new"])
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]


@pytest.mark.parametrize("count", [0, 1, 1000, 2345])
def test_an_entitys_mentions_are_written_as_json_dumps_writes_their_list(count: int) -> None:
    """Mentions go into an entity's line a thousand at a time: the text is that of one list, across
    the chunks' seams, non-ASCII text included."""
    from bilateral.export.jsonl import _mention_lists
    from bilateral.models import Mention

    mentions = [
        Mention(f"d{i % 7}", i, i + 5, ["Srbija", "Србија", 'the "Bank"'][i % 3], "state")
        for i in range(count)
    ]
    expected = json.dumps(
        [{"doc": m.doc, "start": m.start, "end": m.end, "text": m.text} for m in mentions], ensure_ascii=False
    )
    assert "[" + ", ".join(_mention_lists(iter(mentions))) + "]" == expected
