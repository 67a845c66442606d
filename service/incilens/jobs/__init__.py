"""Batch jobs, without Flask: the job model and stores, the embedded runner and the Celery app.

:mod:`~incilens.jobs.model` (jobs, items, the memory and Redis stores), :mod:`~incilens.jobs.sqlite`
(the embedded queue in a SQLite file the gunicorn workers share), :mod:`~incilens.jobs.runner`
(threads that run items in an API process) and :mod:`~incilens.jobs.celery` (the Celery app and
its task, started as ``celery -A incilens.worker``). The HTTP routes are in
:mod:`incilens.http.jobs`.
"""
