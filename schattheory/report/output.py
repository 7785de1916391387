"""Write a report directory all at once: build it in a hidden sibling, then swap it into place.

A failure at any point leaves the previous report (or nothing) at the destination, never a half-written one. A
directory is only ever replaced if it is empty or carries the marker file a previous report left, so pointing
``--out`` at a folder holding other files is refused instead of wiping it.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> with staged_directory(root / "rep") as tmp:
...     _ = (tmp / "a.txt").write_text("first")
>>> with staged_directory(root / "rep") as tmp:
...     _ = (tmp / "b.txt").write_text("second")
>>> sorted(p.name for p in (root / "rep").iterdir())
['.schattheory-report', 'b.txt']
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import InputError

__all__ = ["MARKER", "staged_directory", "check_destination"]

MARKER = ".schattheory-report"


def check_destination(out) -> Path:
    """The destination as a Path, refused when it is a file or a non-empty directory that no report wrote."""
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise InputError("out", str(out), "exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise InputError("out", str(out), f"is a non-empty directory without a {MARKER} marker; "
                                          "refusing to replace it (choose a new or empty directory)")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise InputError("out", str(out), f"its parent directory {parent} does not exist")
    return out


@contextlib.contextmanager
def staged_directory(out):
    """Yield a fresh temporary directory beside ``out``; on success it replaces ``out``, on failure it vanishes."""
    out = check_destination(out)
    parent = out.resolve().parent
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the report should have ordinary permissions
    try:
        yield tmp
        (tmp / MARKER).write_text("written by `schattheory report`; the next run replaces this directory\n")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
            os.rename(out, old / "previous")     # two renames: the destination is never half-old, half-new
            try:
                os.rename(tmp, out)
            except BaseException:
                os.rename(old / "previous", out)  # put the previous report back
                shutil.rmtree(old, ignore_errors=True)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
