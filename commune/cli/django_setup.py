"""Start Django for the sub-commands that need the database.

Kept apart from ``commune.cli.main`` so that commands that never touch the database (``commune tally``)
do not pay for, or depend on, loading Django.
"""

from __future__ import annotations

import os


def django_start() -> None:
    """Point Django at Commune's settings (unless the operator chose others) and load the apps."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
