"""The ``schattheory`` command line.

Subcommands live in ``schattheory/outputs/commands/<name>.py``, each with ``add_parser(subparsers)`` and ``run(args)``;
:data:`COMMANDS` lists them (a new command is one line here). Errors of bad input print one line on stderr and exit
with code 2, without a traceback. ``list``, ``show``, ``evaluate``, ``report``, ``latex`` and ``check`` take
``--load MODULE`` (statements of one's own, :mod:`schattheory.outputs.plugins`).
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys

from schattheory.outputs.plugins import LOADING_COMMANDS, add_load_argument, load

__all__ = ["main", "COMMANDS"]

COMMANDS = [
    "list",
    "show",
    "report",
    "latex",
    "claims",
    "evaluate",
    "check",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors: one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from schattheory import __version__

    parser = _Parser(prog="schattheory", description="Schatten-p generalization bounds for rank-sparse networks.")
    parser.add_argument("--version", action="version", version=f"schattheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f".commands.{name.replace('-', '_')}", __package__)
        module.add_parser(sub)
        if name in LOADING_COMMANDS and "--load" not in sub.choices[name]._option_string_actions:
            add_load_argument(sub.choices[name])
    return parser


def main(argv=None) -> int:
    from schattheory.foundation.errors import SchattheoryError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        if args.command in LOADING_COMMANDS:  # statements of one's own, before the command looks for them
            load(getattr(args, "load", ()) or ())
        return int(args.run(args) or 0)
    except (SchattheoryError, ValueError, KeyError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(f"schattheory {args.command}: error: {one_line(message)}", file=sys.stderr)
        return 2
    except MemoryError:
        print(
            f"schattheory {args.command}: error: out of memory (the input is too large for this machine)",
            file=sys.stderr,
        )
        return 2
    except BrokenPipeError:  # `schattheory list | head`
        return 0
    except KeyboardInterrupt:
        print(f"schattheory {args.command}: interrupted", file=sys.stderr)
        return 130


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def one_line(message) -> str:
    """An error message as one line: colour codes removed, line breaks folded, at most 600 characters."""
    text = " ".join(_ANSI.sub("", str(message)).split())
    return text if len(text) <= 600 else text[:597] + "..."


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
