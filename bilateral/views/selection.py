"""The events one set of filters chooses, with every analyst view of them as rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .. import views
from ..checks import KnowledgeBaseError
from ..models import Document, Event
from . import Row


@dataclass
class Selection:
    """Events chosen by one set of filters, with the views over them as rows (plain dicts whose
    columns are `views.COLUMNS[view]`): what the CLI prints, the web app serves and exports write."""

    events: list[Event]
    countries: dict[str, str] = field(default_factory=dict)
    documents: Callable[[], dict[str, Document]] = dict

    @cached_property
    def _documents(self) -> dict[str, Document]:
        return self.documents()

    def timeline(self) -> list[Row]:
        return views.timeline(self.events)

    def register(self, kind: str) -> list[Row]:
        if kind not in views.REGISTERS:
            raise KnowledgeBaseError(f"no register {kind!r}; choose from {', '.join(views.REGISTERS)}")
        return views.register(kind, self.events, self._documents)

    def conflicts(self) -> list[Row]:
        return views.conflicts(self.events)

    def quotes(self, speaker: str | None = None) -> list[Row]:
        return views.quotes(self.events, self._documents, speaker)

    def actors(self) -> list[Row]:
        return views.actors(self.events)

    def relationship(self, a: str, b: str) -> list[Row]:
        return views.relationship(self.events, a, b, self.countries)

    def sources(self) -> list[Row]:
        """Each document that reports a selected event, once, with its metadata."""
        return views.sources(self.events, self._documents)

    def view(self, name: str, **options: Any) -> list[Row]:
        """A view by name (`timeline`, a register's name, `conflicts`, `quotes`, `actors`, `sources`)."""
        if name in views.REGISTERS:
            return self.register(name)
        if name in ("timeline", "conflicts", "actors", "sources"):
            rows: list[Row] = getattr(self, name)()
            return rows
        if name == "quotes":
            return self.quotes(options.get("speaker"))
        raise KnowledgeBaseError(f"no view {name!r}")
