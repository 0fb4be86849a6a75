"""The knowledge base's review methods (`KnowledgeBase` inherits them): record a judgement, check
it, apply it at once, and consolidate again when it changes entities."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..checks import KnowledgeBaseError

if TYPE_CHECKING:
    from ..store import Store
    from .judgement import Judgement


class Reviewing:
    store: Store

    def judge(
        self,
        kind: str,
        event_id: str,
        role: str | None = None,
        value: str | Sequence[str] | None = None,
        other: str | None = None,
        author: str = "",
        note: str = "",
    ) -> Judgement:
        """Record an analyst's judgement on an event (`accept`, `reject`, `set` ROLE VALUE, `merge`
        with `other`, `split` off the reports VALUE names (spans or documents), `note`) and apply
        it; it is re-applied after every later consolidation."""
        from .. import review

        try:
            judgement = review.make(self.store, kind, event_id, role, value, other, author, note)
        except review.ReviewError as exc:
            raise KnowledgeBaseError(str(exc)) from exc
        with self.store.transaction():
            self.store.put_judgements([judgement.row()])
            review.apply(self.store, self.store.countries())
            self.store.keep_states()
        return judgement

    def judge_entity(
        self,
        kind: str,
        entity: str,
        other: str = "",
        parts: Sequence[str] = (),
        author: str = "",
        note: str = "",
    ) -> Judgement:
        """Record that two entities are one person or body (`merge`: `other` becomes part of
        `entity`) or that its mentions reading one of the names in `parts`, or in one of the documents
        in `parts`, are someone else (`split`: a wrong spelling, a namesake), and
        consolidate again; re-applied after every later consolidation, like event judgements."""
        from .. import review

        try:
            if kind == "merge":
                judgement = review.entities.merge(self.store, entity, other, author, note)
            elif kind == "split":
                judgement = review.entities.split(self.store, entity, list(parts), author, note)
            else:
                raise review.ReviewError(f"unknown entity judgement {kind!r}; choose from merge, split")
        except review.ReviewError as exc:
            raise KnowledgeBaseError(str(exc)) from exc
        from ..consolidate import consolidate  # only a write consolidates: the web app reads at start-up

        with self.store.transaction():  # the judgement and its effect, or neither
            self.store.put_judgements([judgement.row()])
            consolidate(self.store)
            self.store.keep_states()
        return judgement

    def judgements(self, orphans: bool = False) -> list[Judgement]:
        """Every judgement, oldest first; or only those whose event no longer exists."""
        from .. import review

        if orphans:
            return review.orphans(self.store)
        return [review.Judgement.from_row(r) for r in self.store.judgements()]

    def import_judgements(self, rows: Iterable[dict[str, Any]]) -> int:
        """Add judgements exported by `bilateral judgements export` (a team's shared review);
        returns how many were new: importing a file twice changes nothing."""
        from .. import review

        try:
            found = [review.check(review.Judgement.from_dict(r)) for r in rows]
        except (review.ReviewError, TypeError, KeyError, ValueError) as exc:
            raise KnowledgeBaseError(f"not a judgement we can apply: {exc}") from exc
        from ..consolidate import consolidate

        with self.store.transaction():
            new = self.store.put_judgements([j.row() for j in found])
            consolidate(self.store)
            self.store.keep_states()
        return new
