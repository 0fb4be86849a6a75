"""bilateral: a cited, cross-checked record of relations between states, built from articles."""

from .checks import KnowledgeBaseError
from .kb import IngestReport, KnowledgeBase, Selection, open

__version__ = "0.1.0"
__all__ = ["IngestReport", "KnowledgeBase", "KnowledgeBaseError", "Selection", "__version__", "open"]
