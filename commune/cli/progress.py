"""A plain-text progress bar for the commands that import files (the member roll, dues payments)."""

from __future__ import annotations

import time
from typing import TextIO

from commune.console import gettext as _

# Files shorter than this import in a blink; a bar would only flicker.
PROGRESS_MIN_ROWS = 1000


class ProgressBar:
    """A plain-text progress bar on a stream: redrawn in place on a terminal, a line per tenth otherwise."""

    def __init__(self, stream: TextIO, label: str, width: int = 30) -> None:
        self.stream, self.label, self.width = stream, label, width
        self.interactive = stream.isatty()
        self.last_shown = -1
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_ROWS:
            return
        step = 100 if self.interactive else 10
        shown = done * step // total
        if shown == self.last_shown:
            return
        self.last_shown = shown
        filled = self.width * done // total
        bar = "#" * filled + "-" * (self.width - filled)
        text = _("%(label)s [%(bar)s] %(done)s/%(total)s rows") % {
            "label": self.label,
            "bar": bar,
            "done": done,
            "total": total,
        }
        if self.interactive:
            self.stream.write("\r" + text + ("\n" if done == total else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
