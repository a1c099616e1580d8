"""``commune manage``: any Django management command (``migrate``, ``createsuperuser``, ``shell``...).

    commune manage COMMAND [ARGS...]

The same as ``python -m django COMMAND --settings=config.settings`` from the project folder.
"""

from __future__ import annotations

from commune.cli.django_setup import django_start


def main(argv: list[str]) -> int:
    django_start(speak=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commune manage", *(argv or ["help"])])
    return 0
