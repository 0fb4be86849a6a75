"""The actor network as GraphML or GEXF (networkx writes both; Gephi, yEd and networkx read them).

Nodes are actors (states by ISO code, people and organisations by name); each event adds the
edges its type's ontology file declares (supplier -> recipient, lender -> borrower, ...), with the
event's type, date, summary, source documents and id, so parallel edges keep events apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from ..models import Entity, Event
from ..ontology import ontology
from ..views import name, summary
from . import atomic

FORMATS = ("graphml", "gexf")


def edge_pairs(event: Event) -> list[tuple[str, str]]:
    """The event's edges: from the first actor of its type's edge roles to each other one."""
    edge = ontology()[event.type].edge
    if edge is None:
        return []
    actors: list[str] = []
    for role in dict.fromkeys(edge):
        value = event.args.get(role)
        actors += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    actors = list(dict.fromkeys(actors))
    return [(actors[0], other) for other in actors[1:]]


def actor_graph(events: Iterable[Event], entities: Iterable[Entity]) -> nx.MultiDiGraph:
    kinds = {e.name: e.type for e in entities}
    kinds |= {e.iso3: "state" for e in entities if e.iso3}
    graph = nx.MultiDiGraph()
    edges = []
    for event in sorted(events, key=lambda e: e.id):
        for source, target in edge_pairs(event):
            edges.append((source, target, event))
    for node in sorted({n for a, b, _ in edges for n in (a, b)}):
        graph.add_node(node, label=name(node), kind=kinds.get(node, "other"))
    for a, b, event in edges:
        graph.add_edge(
            a,
            b,
            key=f"{event.id}:{b}",
            type=event.type,
            date=event.date or "",
            summary=summary(event),
            sources=";".join(event.docs),
            event=event.id,
        )
    return graph


def write_graph(path: Path, graph: nx.MultiDiGraph, fmt: str) -> int:
    with atomic(path, "wb") as fh:
        if fmt == "gexf":
            writer = GEXFWriter()
            writer.add_graph(graph)
            meta = writer.xml.find("meta")
            if meta is not None:  # the day of writing would make every export differ
                meta.attrib.pop("lastmodifieddate", None)
            writer.write(fh)
        else:
            nx.write_graphml(graph, fh)
    return int(graph.number_of_edges())
