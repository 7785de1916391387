"""Progress lines on stderr for the commands' slow steps, shown only for a step still running after a second.

Quick runs and bad input stay silent (one error line, nothing else); a step that takes longer announces itself
while it runs. Used as ``status = Status("latex"); status("building the document"); ...; status.close()``.

Like other command-line tools, automatic progress is for a person at a terminal: it is on when stderr is a terminal
(or ``SCHATTHEORY_PROGRESS=1``), so a script reading stderr sees exactly the lines it asked for, however loaded the
machine is.
"""

from __future__ import annotations

import os
import sys
import threading

__all__ = ["Status", "auto_progress"]


def auto_progress() -> bool:
    """Whether unrequested progress lines are wanted: stderr is a terminal, or SCHATTHEORY_PROGRESS=1."""
    flag = os.environ.get("SCHATTHEORY_PROGRESS")
    if flag is not None:
        return flag.strip() == "1"
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stderr
        return False


class Status:
    def __init__(self, command: str, *, delay: float = 1.0, enabled: bool | None = None):
        self.prefix, self.delay = f"schattheory {command}: ", delay
        self.enabled = auto_progress() if enabled is None else enabled
        self._timer = None
        self._lock = threading.Lock()

    def _show(self, message):
        with self._lock:
            print(self.prefix + message, file=sys.stderr, flush=True)

    def __call__(self, message: str) -> None:
        """Announce the step starting now (printed if it is still running after ``delay`` seconds)."""
        self.close()
        if self.enabled:
            self._timer = threading.Timer(self.delay, self._show, (message + " ...",))
            self._timer.daemon = True
            self._timer.start()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
