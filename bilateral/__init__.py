"""bilateral: a cited, cross-checked record of relations between states, built from articles."""

from .kb import IngestReport, KnowledgeBase, open

__version__ = "0.1.0"
__all__ = ["IngestReport", "KnowledgeBase", "__version__", "open"]
