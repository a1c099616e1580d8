"""Start Django for the sub-commands that need the database.

Kept apart from ``commune.cli.main`` so that commands that never touch the database (``commune tally``)
do not pay for, or depend on, loading Django.
"""

from __future__ import annotations

import os


def django_start() -> None:
    """Point Django at Commune's settings (unless the operator chose others), load the apps, and speak
    the language the environment asks for (``commune.console.language``), as the rest of the command does."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.utils import translation

    from commune.console import language

    translation.activate(language())
