"""``celery -A incilens.worker``: the Celery app, which lives in :mod:`incilens.jobs.celery`.

This path is kept so that the worker command of the compose file, the docs and existing
deployments does not change: importing it gives the :mod:`incilens.jobs.celery` module itself
(one module under two names, so its state and its attributes are shared).
"""

from __future__ import annotations

import sys

from incilens.jobs import celery

sys.modules[__name__] = celery
