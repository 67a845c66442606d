"""The knowledge base: the packaged file's reader, the matcher over its names, and its build.

At run time :mod:`~incilens.kb.knowledge` loads ``data/kb.jsonl.gz`` once (strictly validated,
versioned) and :mod:`~incilens.kb.matching` resolves every listed name to an entry (exact,
synonym, then fuzzy with rapidfuzz, recording how). :mod:`~incilens.kb.build` is the offline
build (``python -m incilens.kb.build``) that writes the file from the public datasets and the
curated profiles; nothing that serves requests imports it.
"""

from __future__ import annotations

from incilens.kb.knowledge import DEFAULT_KB_PATH, KB_SCHEMA, KnowledgeBase, SearchHit

__all__ = ["DEFAULT_KB_PATH", "KB_SCHEMA", "KnowledgeBase", "SearchHit"]
