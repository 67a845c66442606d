"""The annotated safety summary of one list, built in one direction.

:mod:`~incilens.core.report.model` holds the data (``Item``, ``Reliability``, ``Report``);
:mod:`~incilens.core.report.context` indexes the items once and holds the helpers every finding
shares; :mod:`~incilens.core.report.flags`, :mod:`~incilens.core.report.claims` and
:mod:`~incilens.core.report.personal` are the findings; :mod:`~incilens.core.report.build`
assembles them. Each imports only the ones before it (an import contract). Pure: no I/O.
"""

from __future__ import annotations

from incilens.core.report.build import UNREADABLE_CONFIDENCE, build_report, photo_reliability
from incilens.core.report.model import Counts, Finding, Item, Reliability, Report, Summary

__all__ = [
    "UNREADABLE_CONFIDENCE",
    "Counts",
    "Finding",
    "Item",
    "Reliability",
    "Report",
    "Summary",
    "build_report",
    "photo_reliability",
]
