"""Progress lines on stderr for the commands' slow steps, shown only for a step still running after a second.

Quick runs and bad input stay silent (one error line, nothing else); a step that takes longer announces itself
while it runs. Used as ``status = Status("latex"); status("building the document"); ...; status.close()``.
"""
from __future__ import annotations

import sys
import threading

__all__ = ["Status"]


class Status:
    def __init__(self, command: str, *, delay: float = 1.0, enabled: bool = True):
        self.prefix, self.delay, self.enabled = f"schattheory {command}: ", delay, enabled
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
