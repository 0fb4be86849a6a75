"""FollowTheMoney entities for Aleph and the `ftm` tools, built with the followthemoney library.

People, organisations (companies, banks, public bodies), states (as public bodies with their
country), documents (Article), events as the schema and properties their ontology file maps
them to (an investment is an Ownership, a loan a Debt, ...), and Documentation links from each
event to the articles that report it, with the cited sentence as the link's summary.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.statement import Statement
from rigour.territories import get_territory

from ..models import Document, Entity, Event
from ..nlp.lexicon import load
from ..ontology import OntologyError, ontology
from ..views import summary
from ..views.registers import helpers
from .jsonl import write_jsonl

NS = "bilateral"
# Our organisation sub-kinds to FtM schemata.
ORG_SCHEMA = {
    "company": "Company",
    "bank": "Company",
    "ministry": "PublicBody",
    "armed_force": "PublicBody",
    "government": "PublicBody",
}


def _fid(*parts: str) -> str:
    """An FtM entity id from ours: FtM allows letters, digits, dots and dashes only, so an id with
    anything else (a document named after a file with spaces) is hashed."""
    fid = "-".join([NS, *parts]).replace("_", "-")
    return fid if re.fullmatch(r"[A-Za-z0-9.-]+", fid) else f"{NS}-{hashlib.sha1(fid.encode()).hexdigest()}"


class _Builder:
    """Keeps one FtM entity per actor so that every event links to the same node."""

    def __init__(self, entities: list[Entity]) -> None:
        self.out: dict[str, EntityProxy] = {}
        self.by_name: dict[str, str] = {}
        self.by_iso: dict[str, str] = {}
        for e in entities:
            proxy = self._entity(e)
            if proxy is not None:
                for alias in (e.name, *e.aliases):
                    self.by_name.setdefault(alias, proxy.id or "")
                if e.iso3:
                    self.by_iso[e.iso3] = proxy.id or ""

    def add(self, proxy: EntityProxy) -> EntityProxy:
        assert proxy.id is not None
        self.out[proxy.id] = proxy
        return proxy

    def _entity(self, e: Entity) -> EntityProxy | None:
        if e.type == "person":
            proxy = model.make_entity("Person")
        elif e.type == "organisation":
            proxy = model.make_entity(ORG_SCHEMA.get(e.subtype or "", "Organization"))
        elif e.type == "state" and e.iso3 in load().states:
            return self.state(e.iso3)
        else:
            return None
        proxy.id = _fid(e.id)
        proxy.add("name", e.name)
        proxy.add("alias", [a for a in e.aliases if a != e.name])
        return self.add(proxy)

    def state(self, iso3: str) -> EntityProxy:
        known = self.by_iso.get(iso3)
        if known:
            return self.out[known]
        state = load().states[iso3]
        proxy = model.make_entity("PublicBody")
        proxy.id = _fid("state", iso3.lower())
        proxy.add("name", state.name)
        proxy.add("alias", list(state.aliases))
        proxy.add("jurisdiction", state.iso2.lower())
        proxy.add("country", state.iso2.lower())
        territory = get_territory(state.iso2.lower())
        proxy.add("wikidataId", territory.qid if territory else None)
        self.by_iso[iso3] = proxy.id
        return self.add(proxy)

    def actor(self, value: Any, schema: str = "LegalEntity") -> EntityProxy | None:
        """The entity for a role value: a state's code, a resolved name, or a new named entity."""
        if not isinstance(value, str) or not value:
            return None
        if value in load().states:
            return self.state(value)
        known = self.by_name.get(value)
        if known and model.get(self.out[known].schema.name).is_a(schema):  # type: ignore[union-attr]
            return self.out[known]
        proxy = model.make_entity(schema)
        proxy.make_id(NS, schema, value)
        proxy.add("name", value)
        self.by_name.setdefault(value, proxy.id or "")
        return self.add(proxy)


def _document(doc: Document) -> EntityProxy:
    proxy = model.make_entity("Article")
    proxy.id = _fid("doc", doc.id)
    proxy.add("title", doc.title or doc.id)
    proxy.add("fileName", Path(doc.path).name if doc.path else doc.id)
    proxy.add("publisher", doc.source)
    proxy.add("publishedAt", doc.published)
    proxy.add("sourceUrl", doc.url)
    proxy.add("bodyText", doc.text)
    return proxy


def _event(b: _Builder, e: Event) -> EntityProxy:
    """The event as its type's FtM schema, with the properties its ontology file maps."""
    type_ = ontology()[e.type]
    proxy = model.make_entity(type_.ftm_schema)
    values = type_.values(e.args) | helpers({})
    for prop, spec in type_.ftm.items():
        if spec.value is not None:
            proxy.add(prop, spec.value(**values, event=e, summary=summary(e)))
            continue
        for role in spec.roles:
            value = e.args.get(role)
            for v in value if isinstance(value, list) else [value]:
                proxy.add(prop, b.actor(v, spec.schema))
    proxy.id = _fid(e.id)
    if type_.ftm_project and isinstance(project := e.args.get(type_.ftm_project), str):
        _project(b, e, project)
    return proxy


def _project(b: _Builder, e: Event, name: str) -> None:
    """What an event finances or builds, as a Project with each actor of the event taking part."""
    project = model.make_entity("Project")
    project.id = _fid(e.id, "project")
    project.add("name", name)
    project.add("date", e.date)
    project.add("summary", summary(e))
    b.add(project)
    for role in ontology()[e.type].actor_roles:
        value = e.args.get(role)
        for v in value if isinstance(value, list) else [value]:
            if (actor := b.actor(v)) is not None:
                link = model.make_entity("ProjectParticipant")
                link.id = _fid(e.id, "project", role, actor.id or "")
                link.add("project", project)
                link.add("participant", actor)
                link.add("role", role)
                b.add(link)


def check_mappings() -> None:
    """Every type's FtM schema and properties exist in followthemoney's model."""
    for type_ in ontology():
        schema = model.get(type_.ftm_schema)
        if schema is None:
            raise OntologyError(f"{type_.path}: ftm: no FollowTheMoney schema {type_.ftm_schema!r}")
        if bad := [p for p in type_.ftm if p not in schema.properties]:
            raise OntologyError(f"{type_.path}: ftm: {schema.name} has no property {', '.join(bad)}")


def ftm_entities(
    documents: Iterable[Document], entities: list[Entity], events: list[Event]
) -> Iterator[EntityProxy]:
    """Every FtM entity of the knowledge base: the articles as `documents` come (so that their
    texts stream through), then the rest sorted by id."""
    check_mappings()
    b = _Builder(entities)
    articles: set[str] = set()
    for d in documents:
        article = _document(d)
        articles.add(d.id)
        yield article
    for e in events:
        proxy = b.add(_event(b, e))
        for span in e.evidence:
            link = model.make_entity("Documentation")
            link.make_id(NS, "doc", e.id, span.doc, span.start, span.end)
            link.add("entity", proxy)
            link.add("document", _fid("doc", span.doc) if span.doc in articles else None)
            link.add("role", "evidence")
            link.add("summary", span.text)
            b.add(link)
    for key in sorted(b.out):
        yield b.out[key]


def ftm_statements(
    documents: Iterable[Document], entities: list[Entity], events: list[Event]
) -> Iterator[Statement]:
    """The same entities as FtM statements, one per value; an event's values carry their
    provenance: one statement per report, its origin the cited span (`doc:start-end`) and its
    original value the sentence, so Aleph and nomenklatura show where each value came from."""
    spans = {_fid(e.id): e.evidence for e in events}
    for proxy in ftm_entities(documents, entities, events):
        cited = spans.get(proxy.id or "")
        for statement in Statement.from_entity(proxy, NS):
            if not cited or statement.prop == "id":
                yield statement
                continue
            for span in cited:
                sourced = statement.clone()
                sourced.origin = f"{span.doc}:{span.start}-{span.end}"
                sourced.original_value = span.text
                # A statement's key leaves its origin out; one value cited twice is two statements.
                sourced.id = hashlib.sha1(f"{statement.id}|{sourced.origin}".encode()).hexdigest()
                yield sourced


def _line(row: object) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


def write_statements(path: Path, statements: Iterable[Statement]) -> int:
    """FtM statements as JSON lines (`ftm` and nomenklatura read them)."""
    return write_jsonl(path, (_line(s.to_dict()) for s in statements))


def write_ftm(path: Path, rows: Iterable[EntityProxy]) -> int:
    """One FtM entity per line (the format `ftm` and Aleph read)."""
    return write_jsonl(path, (_line(p.to_dict()) for p in rows))
