"""Who may follow a topic. Each kind of topic belongs to an app, which registers at start-up
(``AppConfig.ready``) the permission-checked fetch that decides it: the same check as the page that shows
the thing, so a live event never reaches someone who could not load the page. Missing, unknown and
forbidden are one refusal (``NotFound``), as everywhere."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.access import NotFound

#: kind -> check(user, ident): returns if ``user`` may follow ``kind:ident``, raises ``NotFound`` if not.
_checks: dict[str, Callable[[User, int], None]] = {}


def topic_kind_register(kind: str, check: Callable[[User, int], None]) -> None:
    _checks[kind] = check


def topic_follow_check(user: User, kind: str, ident: int) -> str:
    """The topic ``kind:ident`` if ``user`` may follow it; else ``NotFound``."""
    check = _checks.get(kind)
    if check is None or not user.is_authenticated:
        raise NotFound(_("no such topic"))
    check(user, ident)
    return f"{kind}:{ident}"
