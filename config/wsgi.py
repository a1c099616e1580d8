import gc
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

_django = get_wsgi_application()

# Import the URLconf (and with it every API router and its schemas) now, not on each worker's first
# request, which would otherwise wait for it while others queue behind.
get_resolver().url_patterns  # noqa: B018

# Everything loaded so far lives as long as the process; moving it out of the collector's generations
# keeps full collections short, which large pages (the federation tree, the log) otherwise pay for as
# latency spikes.
gc.freeze()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Django's WSGI handler, with header values trimmed.

    Django writes each Set-Cookie value with a leading space (``cookie.output(header="")``). Most WSGI
    servers forgive it; strict HTTP/1.1 servers such as uvicorn's reject the response outright.
    """

    def start_trimmed(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return start_response(status, [(name, value.strip()) for name, value in headers], exc_info)

    return _django(environ, start_trimmed)
