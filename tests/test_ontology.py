"""The ontology as data: its files agree with ONTOLOGY.md, bad files are clear errors, and a new
event type defined in a file of its own flows through every stage and view."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bilateral.ontology import OntologyError, load, ontology

from .conftest import SHARED

DATA = Path(__file__).parent / "data"


def test_ontology_md_lists_the_types_roles_and_kinds_the_files_declare() -> None:
    text = (SHARED / "ONTOLOGY.md").read_text(encoding="utf-8")
    documented = {}
    for type_, roles in re.findall(r"^\| `(\w+)` \| (.+?) \|$", text, re.M):
        names = [r.strip() for r in roles.split(",")]
        documented[type_] = (
            [re.sub(r"\*|\s*\(list\)", "", n) for n in names],
            [re.sub(r"\*|\s*\(list\)", "", n) for n in names if n.startswith("**")],
        )
    declared = {t.name: (list(t.roles), list(t.identity)) for t in ontology()}
    assert documented == declared
    kinds = re.search(r"`agreement.kind`: one of (.+?)\.\n", text, re.S)
    assert kinds
    assert re.findall(r"`(\w+)`", kinds.group(1)) == list(ontology()["agreement"].roles["kind"].values)
    lists = {(t.name, r.name) for t in ontology() for r in t.roles.values() if r.type.many}
    assert lists == set(re.findall(r"`(\w+)`.*?\*\*(\w+)\*\* \(list\)", text))


BROKEN = [
    ("identity: [recipient, system]", "identity: [recipient, ship]", "identity: no role 'ship'"),
    ("quantity: {type: quantity}", "quantity: {type: count}", "unknown value type 'count'"),
    ("a.recipient == b.recipient", "a.recipient == b.buyer", "a.recipient == b.buyer"),
    ("{{ supplier|name or '?' }}", "{{ supplier|nickname }}", "No filter named 'nickname'"),
    ("edge: {source: supplier", "edge: {source: category", "category does not name actors"),
    ("label: Arms transfer\n", "label: Arms transfer\nlabels: x\n", "unknown key labels"),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_a_bad_ontology_file_is_an_error_naming_the_file(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    source = Path(str(ontology()["arms_transfer"].path)).read_text(encoding="utf-8")
    assert old in source
    (tmp_path / "arms_transfer.yml").write_text(source.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(OntologyError) as error:
        load([tmp_path])
    assert str(tmp_path / "arms_transfer.yml") in str(error.value)
    assert message in str(error.value)


# A rule for the new type, written as its rules module would be: "X imposed sanctions on Y".
RULE = r"""
import re, sys
import bilateral
from bilateral.analysis import analyser
from bilateral.models import Event, Span
from bilateral.nlp.lexicon import load

PATTERN = re.compile(
    r"(?:On (\d+ \w+ \d{4}), )?(?:the )?([A-Z]\w+(?: \w+)?) imposed (\w+ sanctions) on ([A-Z]\w+)"
)
MONTHS = {"March": "03", "April": "04"}

with bilateral.open(sys.argv[1]) as kb:
    kb.ingest([sys.argv[2]])
    kb.analyse()
    store = kb.store
    for doc in kb.documents():
        found = []
        for m in PATTERN.finditer(doc.text):
            day, month, year = m.group(1).split() if m.group(1) else (None, None, None)
            date = f"{year}-{MONTHS[month]}-{int(day):02d}" if year else None
            args = {"imposer": load().state_for(m.group(2)), "target": load().state_for(m.group(4)),
                    "measure": m.group(3), "date": date}
            span = Span(doc.id, m.start(), m.end(), m.group(0))
            found.append(Event(type="sanction", args=args, evidence=[span], date=date))
        store.put_analysis(doc, store.mentions(doc.id, doc.id), store.candidates(doc.id, doc.id) + found,
                           analyser())
    kb.consolidate()
"""


@pytest.fixture(scope="module")
def ninth(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A knowledge base with sanctions, under an ontology folder that adds the type."""
    folder = tmp_path_factory.mktemp("ninth")
    (folder / "ontology").mkdir()
    shutil.copy(DATA / "sanction.yml", folder / "ontology" / "sanction.yml")
    (folder / "articles").mkdir()
    (folder / "articles" / "one.txt").write_text(
        "Sanctions widen\n\nOn 3 March 2024, the United States imposed export sanctions on Russia, "
        "officials in Washington said.\n",
        encoding="utf-8",
    )
    (folder / "articles" / "two.txt").write_text(
        "A second report\n\nOn 3 March 2024, the United States imposed export sanctions on Russia "
        "after months of talks.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "BILATERAL_ONTOLOGY": str(folder / "ontology")}
    db = folder / "kb.db"
    run = subprocess.run(
        [sys.executable, "-c", RULE, str(db), str(folder / "articles")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return db, env


def _cli(env: dict[str, str], *args: str) -> str:
    run = subprocess.run(
        [sys.executable, "-m", "bilateral", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def test_a_ninth_type_flows_through_fusion_views_exports_and_report(
    ninth: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, env = ninth
    timeline = json.loads(_cli(env, "timeline", "--db", str(db), "--format", "json"))
    sanctions = [r for r in timeline if r["type"] == "sanction"]
    # Two reports of one sanction fuse into one event with both sources.
    assert [(r["date"], r["summary"], r["sources"]) for r in sanctions] == [
        ("2024-03-03", "United States sanctions Russia: export sanctions", 2)
    ]
    rows = json.loads(_cli(env, "register", "sanctions", "--db", str(db), "--format", "json"))
    assert [(r["imposer"], r["target"], r["measure"], r["year"]) for r in rows] == [
        ("United States", "Russia", "export sanctions", "2024")
    ]
    assert "sanction" in _cli(env, "timeline", "--db", str(db), "--actor", "Russia")

    _cli(env, "export", "csv", "--db", str(db), "-o", str(tmp_path / "tables"))
    assert "United States,Russia,export sanctions,2024" in (tmp_path / "tables" / "sanctions.csv").read_text()

    _cli(env, "export", "graphml", "--db", str(db), "-o", str(tmp_path / "g.graphml"))
    graph = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert '<edge source="USA" target="RUS"' in graph and ">sanction<" in graph

    _cli(env, "export", "ftm", "--db", str(db), "-o", str(tmp_path / "kb.ftm.json"))
    from followthemoney import model

    proxies = [model.get_proxy(json.loads(line)) for line in (tmp_path / "kb.ftm.json").open()]
    sanction = next(p for p in proxies if p.schema.name == "Sanction")
    assert sanction.get("program") == ["export sanctions"] and sanction.get("startDate") == ["2024-03-03"]
    assert [p.get("name") for p in proxies if p.id in sanction.get("entity")] == [["Russia"]]

    _cli(env, "report", "--db", str(db), "-o", str(tmp_path / "briefing.html"))
    html = (tmp_path / "briefing.html").read_text(encoding="utf-8")
    assert "<h2>Sanctions</h2>" in html and "United States sanctions Russia" in html


def test_a_ninth_type_is_in_the_web_app(
    ninth: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    from .test_web_robust import serving

    db, env = ninth
    monkeypatch.setenv("BILATERAL_ONTOLOGY", env["BILATERAL_ONTOLOGY"])
    with serving(db) as url, httpx.Client(base_url=url, timeout=30) as client:
        page = client.get("/register/sanctions")
        assert page.status_code == 200 and "United States" in page.text and "Russia" in page.text
        assert 'href="/register/sanctions"' in client.get("/").text  # in the navigation
        rows = client.get("/api/registers/sanctions").json()
        assert [(r["imposer"], r["target"]) for r in rows] == [("United States", "Russia")]
        timeline = client.get("/timeline", params={"type": "sanction"})
        assert timeline.status_code == 200 and "United States sanctions Russia" in timeline.text


def test_without_the_folder_the_type_is_unknown(ninth: tuple[Path, dict[str, str]]) -> None:
    db, env = ninth
    env = {k: v for k, v in env.items() if k != "BILATERAL_ONTOLOGY"}
    run = subprocess.run(
        [sys.executable, "-m", "bilateral", "register", "sanctions", "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0 and "Traceback" not in run.stderr
