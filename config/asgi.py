"""The application ``commune serve`` runs: live streams served natively (``commune.live.asgi``), every other
request handed to the Django WSGI application on a bounded pool of threads (a2wsgi), so at most
``COMMUNE_THREADS`` requests per process hold a database connection at once, however many people keep a
live page open."""

import os

from a2wsgi import WSGIMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from commune.live.asgi import live_application
from config.wsgi import application as wsgi_application

application = live_application(
    WSGIMiddleware(wsgi_application, workers=int(os.environ.get("COMMUNE_THREADS", "10")))  # type: ignore[arg-type]
)
