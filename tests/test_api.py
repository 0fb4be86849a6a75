"""The Python API as the one way in: views through `kb.select`, refusals with clear messages, and
read-only use that never creates a knowledge base (nor a SQLite file out of a mangled URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bilateral
from bilateral import views
from bilateral.checks import KnowledgeBaseError
from bilateral.kb import KnowledgeBase

READ_COMMANDS = [
    ["timeline"],
    ["events"],
    ["register", "arms"],
    ["conflicts"],
    ["quotes"],
    ["actors"],
    ["entities"],
    ["show", "Vucic"],
    ["docs"],
    ["search", "drones"],
    ["export", "events", "-o", "e.jsonl"],
    ["report", "-o", "r.html"],
    ["serve"],
]


def _cli(cwd: Path, *commands: list[str]) -> list[tuple[int, str]]:
    """Run CLI commands in one child process (typer's runner), in `cwd`: [(exit code, output)]."""
    script = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from bilateral.cli import app\n"
        "r = CliRunner()\n"
        "results = [r.invoke(app, args) for args in json.loads(sys.argv[1])]\n"
        "print(json.dumps([[x.exit_code, x.output] for x in results]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run(
        [sys.executable, "-c", script, json.dumps(commands)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return [(code, output) for code, output in json.loads(run.stdout)]


def test_selection_views_are_the_views_over_filtered_events(sample_db: Path) -> None:
    with bilateral.open(sample_db, readonly=True) as kb:
        events, countries = kb.events(), kb.countries()
        docs = {d.id: d for d in kb.documents()}
        for filters in (
            views.Filters(),
            views.Filters(["arms_transfer", "loan"]),
            views.Filters([], "Serbia", "2019"),
            views.Filters(["statement"], "SRB", None, "2024-06"),
        ):
            expected = views.Filters(filters.types, filters.actor, filters.since, filters.until, countries)
            chosen = expected.apply(events)
            selection = kb.select(filters)
            assert [e.id for e in selection.events] == [e.id for e in chosen]
            assert selection.timeline() == views.timeline(chosen)
            assert selection.conflicts() == views.conflicts(chosen)
            assert selection.actors() == views.actors(chosen)
            assert selection.quotes("Vucic") == views.quotes(chosen, docs, "Vucic")
            for kind in views.REGISTERS:
                assert selection.register(kind) == views.register(kind, chosen, docs)
        pair = kb.select().relationship("China", "Serbia")
        assert pair == views.relationship(events, "China", "Serbia", countries) and pair
        assert kb.select(views.Filters(["loan"], "SRB")).register("loans")


def test_exports_and_report_through_the_api(sample_db: Path, tmp_path: Path) -> None:
    with bilateral.open(sample_db, readonly=True) as kb:
        assert kb.export(tmp_path / "e.jsonl", "events") == {"events": len(kb.events())}
        assert kb.export(tmp_path / "g.graphml", "graphml")["edges"] > 10
        assert "<svg" in kb.report(["China", "Serbia"]) or "data:image/png" in kb.report(["China", "Serbia"])
        assert kb.report(format="md").startswith("# Briefing")
        assert kb.write_report(tmp_path / "b.md").read_text(encoding="utf-8").startswith("# Briefing")
        for call in (
            lambda: kb.export(tmp_path / "x", "pdf"),
            lambda: kb.report(format="pdf"),
            lambda: kb.write_report(tmp_path / "b.pdf"),
        ):
            with pytest.raises(KnowledgeBaseError):
                call()


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (views.Filters(["sanction"]), "unknown event type 'sanction'; choose from arms_transfer"),
        (views.Filters(since="last year"), "'last year' is not a date"),
        (views.Filters(until="2024-5"), "'2024-5' is not a date"),
        (views.Filters(actor="Serbai"), "no actor matches 'Serbai'; did you mean 'Serbia'\\?"),
        (views.Filters(["loan"], actor="Ruritania"), "no actor matches 'Ruritania'$"),
    ],
)
def test_a_filter_that_cannot_match_is_an_error(
    sample_db: Path, filters: views.Filters, message: str
) -> None:
    with bilateral.open(sample_db, readonly=True) as kb, pytest.raises(KnowledgeBaseError, match=message):
        kb.select(filters)
    with bilateral.open(sample_db, readonly=True) as kb:
        with pytest.raises(KnowledgeBaseError, match="no register"):
            kb.select().register("ships")
        # An actor the corpus knows, with no event of the kind asked for, is an empty answer.
        assert kb.select(views.Filters(["trade"], "Vucic")).events == []


@pytest.mark.parametrize(
    "db",
    [
        Path("postgresql://analyst@dbhost/bilateral"),
        "postgresql:/analyst@dbhost/bilateral",
        "postgres:/analyst@dbhost/bilateral",
        "sqlite:///kb.db",
        "https://example.org/kb.db",
    ],
)
def test_a_url_that_became_a_path_is_refused(
    db: str | Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for readonly in (False, True):
        with pytest.raises(KnowledgeBaseError, match="looks like a URL"):
            KnowledgeBase(db, readonly=readonly)
    assert list(tmp_path.iterdir()) == []


def test_a_windows_drive_and_plain_paths_are_files(tmp_path: Path) -> None:
    from bilateral.checks import location

    assert location("C:/data/kb.db") == Path("C:/data/kb.db")
    assert location(tmp_path / "a:b.db") == tmp_path / "a:b.db"  # a colon inside a path is fine
    assert location("postgresql://u@h/db") == "postgresql://u@h/db"


def test_reading_a_missing_knowledge_base_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "kb.db"
    with pytest.raises(KnowledgeBaseError, match=f"no knowledge base at {missing}: run `bilateral extract`"):
        KnowledgeBase(missing, readonly=True)
    assert list(tmp_path.iterdir()) == []


def test_read_commands_on_a_missing_database_fail_and_create_nothing(tmp_path: Path) -> None:
    results = _cli(tmp_path, *([*c, "--db", "missing/kb.db"] for c in READ_COMMANDS))
    for command, (code, output) in zip(READ_COMMANDS, results, strict=True):
        assert code == 2, (command, output)
        assert "no knowledge base at missing/kb.db: run `bilateral extract` or `bilateral ingest` first" in (
            " ".join(output.split())
        ), command
    assert list(tmp_path.iterdir()) == []


def test_commands_refuse_a_mangled_url(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Serbia and China signed an agreement in 2024.\n", encoding="utf-8")
    mangled = "postgresql:/analyst@dbhost/bilateral"
    results = _cli(tmp_path, ["ingest", "a.txt", "--db", mangled], ["timeline", "--db", mangled])
    for code, output in results:
        assert code == 2 and "looks like a URL, not a file" in output, output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_bad_filter_values_in_the_cli(sample_db: Path, tmp_path: Path) -> None:
    db = str(sample_db)
    results = _cli(
        tmp_path,
        ["timeline", "--db", db, "--type", "sanction"],
        ["events", "--db", db, "--since", "May"],
        ["register", "ships", "--db", db],
        ["timeline", "--db", db, "--format", "xml"],
        ["register", "loans", "--db", db, "--actor", "SRB", "--format", "csv"],
    )
    messages = [
        "unknown event type 'sanction'",
        "'May' is not a date",
        "no register 'ships'",
        "unknown format",
    ]
    for (code, output), message in zip(results[:4], messages, strict=True):
        assert code == 2 and message in output, output
    code, output = results[4]
    assert code == 0 and output.startswith("lender,borrower,") and len(output.splitlines()) > 1
