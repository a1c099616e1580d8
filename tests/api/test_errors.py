"""Errors are translated once: every app's refusal is a ``DomainError`` that carries its kind, and the API
root, the pages and the command line each turn the kind into an answer in one place."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import pytest
from django.test import RequestFactory

import commune
from commune.accounts.errors import NotSignedIn
from commune.api.root import api
from commune.audit.errors import AuditError
from commune.ballots.bulletin import BulletinError
from commune.elections.errors import ElectionConflict, ElectionError, NotEligible
from commune.errors import DomainError, ErrorKind
from commune.federation.errors import ApportionmentError, ConstitutionError, FederationError, NotFound
from commune.governance.errors import GovernanceConflict, GovernanceError
from commune.governance.errors import NotEntitled as GovernanceNotEntitled
from commune.mandates.errors import BoundByMandate, MandateError
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.recall.errors import RecallConflict, RecallError, RecallNotEntitled
from commune.web.edge import refusal, refusal_status

#: Every refusal of the domain and the status it has always answered.
STATUSES: list[tuple[type[DomainError], int]] = [
    (NotSignedIn, 401),
    (NotFound, 404),
    (FederationError, 400),
    (ConstitutionError, 400),
    (ApportionmentError, 400),
    (AuditError, 400),
    (BulletinError, 400),
    (ElectionError, 400),
    (NotEligible, 403),
    (ElectionConflict, 409),
    (MotionError, 400),
    (NotEntitled, 403),
    (MotionConflict, 409),
    (MandateError, 400),
    (BoundByMandate, 403),
    (RecallError, 400),
    (RecallNotEntitled, 403),
    (RecallConflict, 409),
    (GovernanceError, 400),
    (GovernanceNotEntitled, 403),
    (GovernanceConflict, 409),
]

#: Errors that are not the domain's: the tally library's own (it imports nothing of Commune), the
#: command-line client's (it reads the server's answers) and the API's own authentication and shutdown.
NOT_THE_DOMAINS = {"TallyError", "ClientError", "Refused", "UsageError", "InvalidToken", "StopRequested"}


def _defined_in_commune() -> list[type[BaseException]]:
    found = []
    for module_info in pkgutil.walk_packages(commune.__path__, "commune."):
        name = module_info.name
        if ".migrations" in name or name.startswith("commune.tally") or name == "commune.__main__":
            continue
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                found.append(value)
    return found


def test_every_error_the_apps_raise_is_a_domain_error() -> None:
    """No app keeps a hierarchy of its own: each of its errors subclasses ``DomainError``."""
    errors = [e for e in _defined_in_commune() if e.__name__ not in NOT_THE_DOMAINS]
    assert len(errors) >= len(STATUSES)
    assert [e.__qualname__ for e in errors if not issubclass(e, DomainError)] == []


@pytest.mark.parametrize(("error", "status"), STATUSES, ids=[e.__qualname__ for e, _ in STATUSES])
def test_the_api_root_answers_each_refusal_with_its_kinds_status(
    error: type[DomainError], status: int, db: None
) -> None:
    """The one handler at the API root answers every refusal with its kind's status and its message."""
    request = RequestFactory().get("/api/anything")
    exc = error("the message")
    response = api.on_exception(request, exc)
    assert response.status_code == status
    assert json.loads(response.content)["detail"].endswith("the message")
    assert refusal_status(exc) == status


def test_a_delegate_bound_by_their_mandate_is_forbidden_not_in_conflict() -> None:
    """Voting against a binding mandate is not the delegate's to do (403), whatever stage the vote is at."""
    assert BoundByMandate.kind == ErrorKind.FORBIDDEN
    assert not issubclass(BoundByMandate, MotionConflict)
    assert refusal_status(BoundByMandate("your constituency bound you to vote yes")) == 403


def test_pages_show_a_refusal_as_a_sentence() -> None:
    """The pages' helper capitalises the domain's message and ends it with a full stop."""
    assert refusal(MotionConflict("this vote has closed")) == "This vote has closed."
    assert refusal(MotionConflict("Already.")) == "Already."
