"""bilateral: a cited, cross-checked record of relations between states, built from articles."""

from typing import TYPE_CHECKING, Any

from .checks import KnowledgeBaseError
from .kb import KnowledgeBase, Selection, open

if TYPE_CHECKING:
    from .ingest.run import IngestReport

__version__ = "0.1.0"
__all__ = ["IngestReport", "KnowledgeBase", "KnowledgeBaseError", "Selection", "__version__", "open"]


def __getattr__(name: str) -> Any:
    """`IngestReport` when asked for (the ingest's modules): reading a knowledge base never ingests."""
    if name == "IngestReport":
        from .ingest.run import IngestReport

        return IngestReport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
