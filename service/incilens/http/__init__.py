"""The HTTP layer: everything that knows Flask except the web page.

The API routes (:mod:`~incilens.http.api`, :mod:`~incilens.http.jobs`) and their request
models (:mod:`~incilens.http.schemas`); the one place errors are rendered
(:mod:`~incilens.http.handlers`); the app's long-lived state (:mod:`~incilens.http.state`);
limits on uploads, forms and rates (:mod:`~incilens.http.forms`, :mod:`~incilens.http.limits`),
API keys, security headers and CORS; and the production server (:mod:`~incilens.http.serving`).
"""
