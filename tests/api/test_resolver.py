"""The API's routes are resolved once per distinct path, with the same answer as a full resolution."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, get_resolver, resolve

from commune.api import resolver as api_resolver
from commune.api.resolver import RememberingResolver


def _api() -> RememberingResolver:
    found = [p for p in get_resolver().url_patterns if isinstance(p, RememberingResolver)]
    assert len(found) == 1
    return found[0]


def test_each_path_is_resolved_once_with_its_own_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    api = _api()
    api._matches.clear()
    first = resolve("/api/orgs/a/votes/1/ballots")
    assert first.kwargs["slug"] == "a" and str(first.kwargs["vote_id"]) == "1"
    assert "api/orgs/a/votes/1/ballots" in api._matches
    tried: list[str] = []
    full = api_resolver.URLResolver.resolve

    def counting(self: RememberingResolver, path: str) -> object:
        if self is api:
            tried.append(path)
        return full(self, path)

    monkeypatch.setattr(api_resolver.URLResolver, "resolve", counting)
    again = resolve("/api/orgs/a/votes/1/ballots")
    other = resolve("/api/orgs/b/votes/2/ballots")
    assert tried == ["api/orgs/b/votes/2/ballots"]  # the first path was remembered
    assert again.func is first.func and again.kwargs == first.kwargs and again.url_name == first.url_name
    assert other.func is first.func and other.kwargs["slug"] == "b" and str(other.kwargs["vote_id"]) == "2"
    assert again.route == first.route and again.namespaces == first.namespaces


def test_a_path_that_matches_nothing_is_not_kept_and_the_memory_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = _api()
    api._matches.clear()
    with pytest.raises(Resolver404):
        resolve("/api/no-such-route/here")
    assert not api._matches
    monkeypatch.setattr(api_resolver, "REMEMBERED", 3)
    for n in range(5):
        resolve(f"/api/orgs/a/votes/{n}/ballots")
    assert 0 < len(api._matches) <= 3
