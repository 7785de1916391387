r"""Progress of a spectra run on stderr: tensors done, bytes read, time left.

With ``tqdm`` installed (optional extra ``progress``: a maintained bar that handles terminals, pipes and notebooks)
a bar counts bytes; without it, one plain line at most every ``interval`` seconds and a last one at the end.
Nothing is written to stdout, so ``--json`` stays clean.
"""

from __future__ import annotations

import sys
import time

__all__ = ["SpectraProgress"]


def _mib(n) -> str:
    return f"{n / 2**20:.1f} MiB"


def _clock(seconds) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class SpectraProgress:
    """Call with each job's result (a dict with ``bytes`` and ``parts``); :meth:`close` at the end."""

    def __init__(self, jobs, *, stream=None, interval: float = 1.0, use_tqdm: bool | None = None):
        self.total = len(jobs)
        self.total_bytes = sum(j.nbytes for j in jobs)
        self.done = self.bytes = self.cached = 0
        self.stream = stream if stream is not None else sys.stderr
        self.interval, self.start, self.last = interval, time.perf_counter(), 0.0
        self._bar = None
        if use_tqdm is None or use_tqdm:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self._bar = tqdm(
                    total=self.total_bytes,
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                    desc="spectra",
                    file=self.stream,
                    dynamic_ncols=True,
                    leave=True,
                )

    def left(self) -> float | None:
        """Seconds left, from the bytes rate so far (None before the first job)."""
        if not self.bytes:
            return None
        rate = self.bytes / max(time.perf_counter() - self.start, 1e-9)
        return (self.total_bytes - self.bytes) / rate

    def line(self) -> str:
        left = self.left()
        return (
            f"spectra: {self.done}/{self.total} tensors, {_mib(self.bytes)} of {_mib(self.total_bytes)} read"
            + (f", {self.cached} layers from the cache" if self.cached else "")
            + (f", {_clock(left)} left" if left is not None else "")
        )

    def __call__(self, result) -> None:
        self.done += 1
        self.bytes += int(result.get("bytes", 0))
        self.cached += sum(1 for p in result.get("parts", ()) if not p.get("computed", True))
        if self._bar is not None:
            self._bar.update(int(result.get("bytes", 0)))
            self._bar.set_postfix_str(f"{self.done}/{self.total} tensors", refresh=False)
            return
        now = time.perf_counter()
        if now - self.last >= self.interval or self.done == self.total:
            self.last = now
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
