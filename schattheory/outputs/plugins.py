"""Statements of one's own on the command line: ``--load MODULE`` and the entry-point group ``schattheory.bounds``.

A module that registers Bounds (``schattheory.register``) or network bounds
(:func:`schattheory.bounds.custom.network_bound`) when imported is loaded

- for one command with ``--load package.module`` (repeatable; the module must be importable, e.g. on
  ``PYTHONPATH``), on ``list``, ``show``, ``evaluate``, ``report``, ``latex`` and ``check``;
- for every command, once its distribution declares it in ``pyproject.toml``::

      [project.entry-points."schattheory.bounds"]
      mybounds = "mypackage.bounds"

A module that cannot be imported, or fails while importing, is a one-line error naming it (exit code 2).

>>> load_modules([])
[]
"""

from __future__ import annotations

import importlib
import importlib.metadata

from schattheory.foundation.errors import InputError

__all__ = ["ENTRY_POINT_GROUP", "load_modules", "load_entry_points", "load", "add_load_argument", "LOADING_COMMANDS"]

ENTRY_POINT_GROUP = "schattheory.bounds"
#: the subcommands that take ``--load``
LOADING_COMMANDS = ("list", "show", "evaluate", "report", "latex", "check")
_loaded_entry_points = False


def _import(name: str, what: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise InputError(what, name, "no such module (is its directory on PYTHONPATH?)") from None
        raise InputError(what, name, f"failed to import: {type(exc).__name__}: {exc}") from None
    except InputError as exc:
        raise InputError(what, name, f"failed while registering: {exc}") from None
    except Exception as exc:  # noqa: BLE001  (a user module's error is reported in one line, not a traceback)
        raise InputError(what, name, f"failed to import: {type(exc).__name__}: {exc}") from None


def load_modules(names) -> list:
    """Import each module named (in order); returns the modules."""
    out = []
    for name in names or ():
        if not isinstance(name, str) or not name.strip() or name.endswith(".py") or "/" in name:
            raise InputError("--load", name, "must be a dotted module name such as mypackage.bounds (not a file)")
        out.append(_import(name.strip(), "--load"))
    return out


def load_entry_points() -> list:
    """Import every module declared in the ``schattheory.bounds`` entry-point group (once per process)."""
    global _loaded_entry_points
    if _loaded_entry_points:
        return []
    _loaded_entry_points = True
    out = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        out.append(_import(ep.value.split(":")[0], f"entry point {ep.name}"))
    return out


def load(names=()) -> list:
    """The entry points, then the modules named (what the commands do before running)."""
    return load_entry_points() + load_modules(names)


def add_load_argument(parser) -> None:
    """``--load MODULE`` (repeatable) on a subcommand's parser."""
    parser.add_argument(
        "--load",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE first, so the statements it registers are available (repeatable; "
        f"modules in the entry-point group {ENTRY_POINT_GROUP!r} are always loaded)",
    )
