"""A judgement as stored and exchanged: its kind, what it names, the value it gives, who and when."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..models import stable_id

EVENT_KINDS = ("accept", "reject", "set", "merge", "split", "note")
ENTITY_KINDS = ("merge_entities", "split_entity")
KINDS = (*EVENT_KINDS, *ENTITY_KINDS)
AUTHOR_LENGTH, NOTE_LENGTH = 200, 4000  # characters: a name, and a paragraph of why


class ReviewError(ValueError):
    """A judgement that cannot be made: unknown event, role or kind, or a value of the wrong type."""


@dataclass
class Judgement:
    kind: str
    target: dict[str, Any]
    role: str | None = None
    value: Any = None  # set: the corrected value; split: the evidence moved out; split_entity: a name
    other: dict[str, Any] | None = None  # merge: the second event or entity
    author: str = ""
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="microseconds"))
    note: str = ""

    def __post_init__(self) -> None:
        for name, text, most in (("author", self.author, AUTHOR_LENGTH), ("note", self.note, NOTE_LENGTH)):
            if "\x00" in text or len(text) > most:
                raise ReviewError(f"{name}: at most {most} characters, and no NUL character")

    @property
    def id(self) -> str:
        """One judgement, made at one time: imported twice it is one row; made again later (accept,
        reject, accept) it is another, applied after the first."""
        return stable_id("jdg", self.kind, self.target, self.role, self.value, self.other, self.note, self.at)

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "target": _dump(self.target),
            "role": self.role,
            "value": _dump(self.value),
            "other": _dump(self.other),
            "author": self.author,
            "at": self.at,
            "note": self.note,
        }

    def as_dict(self) -> dict[str, Any]:
        """The exchange format (`bilateral judgements export`, one JSON object a line)."""
        return {"id": self.id, **self.__dict__}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Judgement:
        if data.get("kind") not in KINDS or not isinstance(data.get("target"), dict):
            raise ReviewError(f"not a judgement: {json.dumps(data, ensure_ascii=False)[:80]}")
        fields = ("kind", "target", "role", "value", "other", "author", "at", "note")
        return cls(**{k: data[k] for k in fields if k in data})

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Judgement:
        return cls(
            kind=row["kind"],
            target=json.loads(row["target"]),
            role=row.get("role"),
            value=_load(row.get("value")),
            other=_load(row.get("other")),
            author=row.get("author") or "",
            at=row.get("at") or "",
            note=row.get("note") or "",
        )


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)
