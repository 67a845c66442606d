"""The pure core: from text to an annotated report, with no I/O.

Everything here is plain Python over data it is given: :mod:`~incilens.core.normalize` (names
and OCR damage folded, offsets kept), :mod:`~incilens.core.models` (the frozen data shapes),
:mod:`~incilens.core.parsing` (find the list, split it into tokens), :mod:`~incilens.core.claims`
(label claims found in the text), :mod:`~incilens.core.profile` (a shopper's profile) and
:mod:`~incilens.core.report` (the safety summary).

The rule, checked by import contracts in ``pyproject.toml`` and by
``tests/project/test_architecture.py``: the core imports neither Flask nor ``subprocess``, PIL,
NumPy, OpenCV, Redis or Celery, nor the layers above it (the knowledge base, OCR, the pipeline),
and reads or writes no file. The knowledge base hands it records; the pipeline orders it.
"""
