"""A file to download, as pages and the API both serve it: a bulletin anyone can re-count, a notice, papers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse


def download(content: Mapping[str, Any] | str | bytes, *, filename: str) -> HttpResponse:
    """``content`` as an attachment named ``filename``: a document as JSON (UTF-8, indented a little so a
    reader can follow it), text as plain text, bytes as a PDF."""
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type="application/pdf")
    elif isinstance(content, str):
        response = HttpResponse(content, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(
            json.dumps(content, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
