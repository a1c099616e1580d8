"""Start Django for the sub-commands that need the database.

Kept apart from ``commune.cli.main`` so that commands that never touch the database (``commune tally``)
do not pay for, or depend on, loading Django.
"""

from __future__ import annotations

import os


def django_start(*, speak: bool = True) -> None:
    """Point Django at Commune's settings (unless the operator chose others), load the apps, and speak
    the language the environment asks for (``commune.console.language``), as the rest of the command does.

    ``speak=False`` for the long-running commands (the server, the scheduler): what they print is the
    operator's log, in the source language, and each request chooses its own language."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if not speak:
        return
    from django.utils import translation

    from commune.console import language

    translation.activate(language())
