"""The CLI end to end on the shipped examples, as a new user runs it."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import takewhile
from pathlib import Path
from typing import Any

from .conftest import EXAMPLES


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bilateral", *args], capture_output=True, text=True)


def test_extract_examples_and_views(tmp_path: Path) -> None:
    db, out = str(tmp_path / "kb.db"), tmp_path / "out"
    run = _run("extract", str(EXAMPLES), "--out", str(out), "--db", db)
    assert run.returncode == 0, run.stderr
    assert "ingested 3" in run.stderr
    events = [json.loads(line) for line in (out / "events.jsonl").open()]
    assert {"arms_transfer", "exercise", "statement"} <= {e["type"] for e in events}
    assert (out / "entities.jsonl").read_text().count("\n") > 10
    assert "Peace Defender 2025" in _run("events", "--db", db, "--type", "exercise").stdout
    assert "Vuk Vuksanović" in _run("entities", "--db", db, "--type", "person", "--format", "csv").stdout
    shown = _run("show", "Vucic", "--db", db).stdout
    assert "Aleksandar Vučić" in shown and re.search(r"\n\S+:\d+-\d+ .*Vu", shown)  # a mention in context
    assert "01_drones" in _run("search", "drones", "--db", db).stdout
    assert _run("export", "events", "-o", str(tmp_path / "e.jsonl"), "--db", db).returncode == 0
    assert (tmp_path / "e.jsonl").read_text() == (out / "events.jsonl").read_text()


def test_entity_counts_in_tables_are_those_of_the_full_export(tmp_path: Path) -> None:
    # Tables count mentions from the per-document counts; JSON lists the mentions themselves.
    db = str(tmp_path / "kb.db")
    assert _run("extract", str(EXAMPLES), "--out", str(tmp_path / "out"), "--db", db).returncode == 0
    full = json.loads(_run("entities", "--db", db, "--format", "json").stdout)
    table = list(csv.DictReader(io.StringIO(_run("entities", "--db", db, "--format", "csv").stdout)))
    expected = [(e["id"], len(e["mentions"]), len({m["doc"] for m in e["mentions"]})) for e in full]
    assert [(r["id"], int(r["mentions"]), int(r["documents"])) for r in table] == expected
    assert expected[0][1] > 1


def test_bad_file_gives_error_line_and_nonzero_exit(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Serbia and China signed an agreement.\n", encoding="utf-8")
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf at all")
    run = _run("ingest", str(tmp_path), "--db", str(tmp_path / "kb.db"))
    assert run.returncode == 1
    assert "bad.pdf" in run.stderr and "corrupt PDF" in run.stderr and "ingested 1" in run.stderr


def test_foreign_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_text("hello")
    run = _run("docs", "--db", str(path))
    assert run.returncode == 2 and "not a bilateral database" in run.stderr


def test_every_command_the_readme_shows_exists() -> None:

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = sorted(set(re.findall(r"^bilateral ([a-z]+)", readme, flags=re.M)))
    assert {"extract", "timeline", "register", "report", "export", "serve"} <= set(shown)
    options = sorted(set(re.findall(r"bilateral extract .*?(--[a-z-]+)", readme)))
    # In a child process: the CLI's help for each command, as a new user would ask for it.
    script = (
        "import sys, json\n"
        "from typer.testing import CliRunner\n"
        "from bilateral.cli import app\n"
        "r = CliRunner()\n"
        "print(json.dumps({c: [r.invoke(app, [c, '--help']).exit_code, r.invoke(app, [c, '--help']).output]"
        " for c in sys.argv[1:]}))\n"
    )
    run = subprocess.run([sys.executable, "-c", script, *shown], capture_output=True, text=True, check=True)
    helps = json.loads(run.stdout)
    assert {c: code for c, (code, _) in helps.items()} == dict.fromkeys(shown, 0)
    assert all(option in helps["extract"][1] for option in options)


def test_the_readme_python_example_runs(tmp_path: Path) -> None:
    """The README's Python API example, run as written on our example articles."""
    import shutil

    from .conftest import EXAMPLES, ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = next(b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "bilateral.open" in b)
    shutil.copytree(EXAMPLES, tmp_path / "articles")
    code += "print(len(page), sorted({e.type for e in page}))\n"
    command = [sys.executable, "-c", code]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "arms_transfer" in run.stdout.splitlines()[-1]
    assert "'system': 'CH-92A'" in run.stdout


def _modules(importtime: Iterable[str]) -> set[str]:
    """The top-level packages that `-X importtime` lines show imported."""
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0] for line in importtime if line.startswith("import time:")
    }


def test_read_commands_load_neither_pydantic_nor_spacy(sample_db: Path) -> None:
    """Issue 18: `--help`, the read commands and `serve` start without the heavy modules (typer
    would import pydantic to read any option; `cli.coerce` reads ours)."""
    db = ["--db", str(sample_db)]
    for args in (
        ["--help"],
        ["timeline", "--help"],
        ["docs", *db],
        ["timeline", "--type", "arms_transfer", "--type", "loan", "--min-confidence", "0.5", *db],
        ["search", "drones", "--limit", "3", *db],
        ["judgements", "--orphans", *db],
    ):
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "bilateral", *args], capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr[-2000:]
        loaded = _modules(run.stderr.splitlines())
        assert "typer" in loaded and not loaded & {"pydantic", "spacy"}, args
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve = [sys.executable, "-X", "importtime", "-m", "bilateral", "serve", *db, "--port", str(port)]
    server = subprocess.Popen(serve, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    try:
        lines = list(takewhile(lambda line: "Uvicorn running on" not in line, server.stderr))
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert {"uvicorn", "starlette"} <= _modules(lines) and not _modules(lines) & {"pydantic", "spacy"}


def test_options_are_read_exactly_as_typer_reads_them() -> None:
    """Every parameter `cli.coerce` reads gives typer's own value, or typer's own error, for well
    and badly formed values alike."""
    from typer._click import Context
    from typer._click.exceptions import BadParameter
    from typer._coercion import build_runtime_param
    from typer.main import get_command

    from bilateral.cli import app
    from bilateral.cli.coerce import Plain

    values: list[object] = ["12", "-3", "+7", "007", "1.0", "0.5", ".5", "1.", "1e3", "-2E-2", "1_000"]
    values += [" 4", "abc", "", "nan", "inf", "0x10", "x/y.db", "٣", True, False, 3, 0.25, None]

    def outcome(read: Callable[..., object], *args: Any, **kwargs: Any) -> tuple[object, ...]:
        try:
            value = read(*args, **kwargs)
        except BadParameter as exc:
            return ("error", exc.message)
        return ("value", repr(value), type(value))  # repr: nan is not nan

    def commands(command: Any) -> Iterator[Any]:
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from commands(sub)

    checked: set[str] = set()
    for command in commands(get_command(app)):
        ctx = Context(command)
        for param in [*command.params, command.get_help_option(ctx)]:
            ours = param._runtime_param
            assert isinstance(ours, Plain), f"{command.name} {param.name} is read by pydantic"
            typers = build_runtime_param(param.type_descriptor)
            multi = param.multiple or param.nargs == -1
            for value in values:
                given = (value, value) if multi and value is not None else value
                expected = outcome(typers.coerce, given, param=param, ctx=ctx)
                assert outcome(ours.coerce, given, param, ctx) == expected, (
                    command.name,
                    param.name,
                    given,
                )
            checked.add(param.type_descriptor.annotation.__name__)
    assert checked >= {"str", "int", "float", "bool", "list"}  # Path is a list's element (extract's paths)
