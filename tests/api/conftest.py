"""Helpers for calling the API as a member, with a bearer token or a browser session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commune.accounts.models import User
from commune.accounts.services import api_token_create
from tests.conftest import SmallFederation, build_federation


class ApiClient:
    """A test client that sends one person's bearer token with every request."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.token_row, self.token = api_token_create(user=user, name="tests")
        self.client = Client()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self._headers())

    def post(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(path, data, content_type="application/json", headers=self._headers())

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self._headers())


@pytest.fixture
def api_as() -> Callable[[User], ApiClient]:
    return ApiClient


@pytest.fixture
def member_api(federation: SmallFederation) -> ApiClient:
    """Member m1 of unit D0-U0 in the small federation."""
    return ApiClient(federation.member)


@pytest.fixture
def other_federation(db: None) -> SmallFederation:
    """A second organisation, whose members are strangers to the first."""
    return build_federation(units_per_district=1, members_per_unit=2, slug="other")
