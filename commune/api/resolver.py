"""The API's URLs, resolved once per distinct path.

The API has some 180 routes in one flat list, which Django tries in order on every request: a cast of a
vote matched only after some forty others. A path's answer depends only on the path, so each process
keeps the answers of the paths it has seen (at most ``REMEMBERED``, forgotten all at once beyond that):
the thousands of casts of one vote, all to the same path, resolve with one look-up after the first. A
path that matches no route is not kept, and is tried in full each time."""

from __future__ import annotations

from typing import Any

from django.urls import URLResolver
from django.urls.resolvers import ResolverMatch, RoutePattern

#: Distinct paths each process remembers.
REMEMBERED = 4096


class RememberingResolver(URLResolver):
    """A ``URLResolver`` that remembers each path's match (``ResolverMatch`` is not changed by its users:
    Django builds the request's own from it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._matches: dict[str, ResolverMatch] = {}

    def resolve(self, path: str) -> ResolverMatch:
        match = self._matches.get(path)
        if match is None:
            match = super().resolve(path)
            if len(self._matches) >= REMEMBERED:
                self._matches.clear()
            self._matches[path] = match
        return match


def api_path(route: str, urls: tuple[list[Any], str, str]) -> RememberingResolver:
    """``path(route, api.urls)``, resolved by a ``RememberingResolver``."""
    patterns, app_name, namespace = urls
    return RememberingResolver(
        RoutePattern(route, is_endpoint=False), patterns, app_name=app_name, namespace=namespace
    )
