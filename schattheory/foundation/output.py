"""Safe output directories: the toolkit never overwrites or deletes a file it did not write.

Every command that writes files (``latex --out``, ``report --out``, ``evaluate --plot``) goes through here.

* :func:`check_output_dir` validates the destination before any work starts: not empty text, not a file; a symbolic
  link only when it resolves to a directory inside the folder holding the link (it is then followed); a non-empty
  directory only when a previous run of the toolkit made it (it holds the :data:`MARKER` manifest) or with
  ``force``; and a place where a file can really be created (probed, so read-only filesystems and permissions are
  caught now, not after the run).
* :func:`staged_output` yields a fresh hidden directory beside the destination. When the block succeeds it becomes
  the destination (a toolkit-made directory is replaced as a whole, by two renames); when it fails it vanishes and
  the destination is as it was. With ``force`` on a foreign non-empty directory the new files are moved in one by
  one and nothing else there is touched (and no manifest is left, so a later run will not treat it as the toolkit's).
* Permissions follow the umask: ``mkdtemp``/``mkstemp`` would leave 0700 directories and 0600 files.

Errors are :class:`OutputError` (an :class:`~schattheory.foundation.errors.InputError`, and an ``OSError`` for callers
that catch those); their messages name the destination as given, never an internal temporary path.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> with staged_output(root / "rep") as tmp:
...     _ = (tmp / "a.txt").write_text("first")
>>> with staged_output(root / "rep") as tmp:
...     _ = (tmp / "b.txt").write_text("second")
>>> sorted(p.name for p in (root / "rep").iterdir())
['.schattheory-manifest.json', 'b.txt']
>>> (root / "mine").mkdir(); _ = (root / "mine" / "thesis.tex").write_text("precious")
>>> check_output_dir(root / "mine")
Traceback (most recent call last):
...
schattheory.foundation.output.OutputError: --out='...mine': is a non-empty directory that schattheory did not write
(no .schattheory-manifest.json in it); refusing to overwrite it (choose a new or empty directory, or --force to add
the files to it)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from schattheory.foundation.errors import InputError

__all__ = ["MARKER", "OutputError", "check_output_dir", "staged_output", "umask", "fix_permissions", "is_toolkit_dir"]

#: the manifest a toolkit-made directory carries (what wrote it and which files)
MARKER = ".schattheory-manifest.json"
#: markers of earlier versions, recognised so their directories can still be replaced
_LEGACY_MARKERS = (".schattheory-report",)


class OutputError(InputError, OSError):
    """The destination cannot be written, or writing it would overwrite what the toolkit did not write."""

    def __init__(self, argument: str, value, reason: str):
        InputError.__init__(self, argument, value, reason)


def umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fix_permissions(path, *, directory: bool = False) -> None:
    """Give a file made by mkstemp/mkdtemp the mode an ordinary ``open``/``mkdir`` would (0666/0777 minus umask)."""
    os.chmod(path, (0o777 if directory else 0o666) & ~umask())


def is_toolkit_dir(path) -> bool:
    """Whether ``path`` is a directory a previous run of the toolkit wrote (it carries the manifest)."""
    path = Path(path)
    return any((path / m).is_file() for m in (MARKER, *_LEGACY_MARKERS))


def _resolve_link(out: Path, argument: str, given) -> Path:
    """Follow a symbolic link at the destination itself when it stays inside the folder holding it."""
    target = Path(os.path.realpath(out))
    if not target.exists():
        raise OutputError(argument, given, f"is a symbolic link to {os.readlink(out)}, which does not exist")
    home = Path(os.path.realpath(out.parent))
    if target != home and home not in target.parents:
        raise OutputError(
            argument,
            given,
            f"is a symbolic link pointing outside {out.parent} (to {target}); give the real directory instead",
        )
    return target


def check_output_dir(out, *, argument: str = "--out", force: bool = False) -> Path:
    """The destination as an absolute Path, after every check that can be made before any work (see module)."""
    given = out
    if out is None or not str(os.fspath(out)).strip():
        raise OutputError(
            argument,
            "" if out is None else os.fspath(out),
            "is empty; give a directory name (the current folder is never used implicitly)",
        )
    out = Path(os.path.abspath(os.path.expanduser(os.fspath(out))))
    given = os.fspath(given)
    if out.is_symlink():
        out = _resolve_link(out, argument, given)
    if out.exists() and not out.is_dir():
        raise OutputError(argument, given, "exists and is not a directory")
    if out.is_dir():
        try:
            entries = next(os.scandir(out), None) is not None
        except OSError as exc:
            raise OutputError(argument, given, f"cannot be read ({exc.strerror})") from None
        if entries and not force and not is_toolkit_dir(out):
            raise OutputError(
                argument,
                given,
                f"is a non-empty directory that schattheory did not write (no {MARKER} "
                "in it); refusing to overwrite it (choose a new or empty directory, or "
                "--force to add the files to it)",
            )
    if out.parent == out:
        raise OutputError(argument, given, "is the root of the filesystem")
    ancestor = out.parent
    while not ancestor.exists():
        if ancestor.is_symlink():
            raise OutputError(argument, given, f"{ancestor} is a dangling symbolic link")
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(argument, given, f"{ancestor} is not a directory")
    try:  # a real probe: access() says yes to root on read-only filesystems and misses ACLs
        fd, probe = tempfile.mkstemp(prefix=".schattheory-probe-", dir=ancestor)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(
            argument, given, f"cannot be written: no permission to create files in {ancestor} ({exc.strerror})"
        ) from None
    return out


def _manifest(tmp: Path, command: str) -> None:
    files = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
    text = json.dumps(
        {
            "written_by": "schattheory",
            "command": command,
            "files": files,
            "note": "this directory is replaced as a whole by the next run writing here",
        },
        indent=1,
    )
    (tmp / MARKER).write_text(text + "\n", encoding="utf-8")


@contextlib.contextmanager
def staged_output(out, *, argument: str = "--out", force: bool = False, command: str = "schattheory"):
    """Yield a fresh hidden directory beside ``out``; on success it becomes ``out``, on failure it vanishes."""
    given = os.fspath(out)
    out = check_output_dir(out, argument=argument, force=force)
    created = []
    parent = out.parent
    while not parent.exists():
        created.append(parent)
        parent = parent.parent
    tmp = None
    try:
        for d in reversed(created):
            d.mkdir()
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        fix_permissions(tmp, directory=True)
        yield tmp
        merge = out.is_dir() and not is_toolkit_dir(out) and next(os.scandir(out), None) is not None
        if merge:  # --force on a foreign directory: add our files, touch nothing else
            _merge_into(tmp, out)
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            _manifest(tmp, command)
            _swap(tmp, out)
    except BaseException as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        for d in created:
            with contextlib.suppress(OSError):
                d.rmdir()
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(argument, given, f"could not be written ({exc.strerror or exc})") from None
        raise


def _swap(tmp: Path, out: Path) -> None:
    if not out.exists():
        os.rename(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rename(out, old / "previous")  # two renames: the destination is never half-old, half-new
    try:
        os.rename(tmp, out)
    except BaseException:
        os.rename(old / "previous", out)  # put the previous directory back
        shutil.rmtree(old, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _merge_into(tmp: Path, out: Path) -> None:
    trash = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    try:
        for entry in sorted(tmp.iterdir()):
            dest = out / entry.name
            if dest.is_dir() and not dest.is_symlink():
                os.rename(dest, trash / entry.name)
            os.replace(entry, dest)  # a symbolic link at dest is replaced itself, never written through
    finally:
        shutil.rmtree(trash, ignore_errors=True)
