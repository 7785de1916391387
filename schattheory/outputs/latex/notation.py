"""The notation map, as the LaTeX package uses it: defined in :mod:`schattheory.foundation.notation` (the statement
core prints
with it too, so it lives below both) and re-exported here under its historical path."""

from schattheory.foundation.notation import (
    DEFAULT,
    ROLES,
    SYMBOL_NAMES,
    Macro,
    Notation,
    NotationPrinter,
    current,
    parse_assignments,
    print_latex,
    set_notation,
    use,
)

__all__ = [
    "SYMBOL_NAMES",
    "Macro",
    "Notation",
    "ROLES",
    "DEFAULT",
    "current",
    "set_notation",
    "use",
    "print_latex",
    "parse_assignments",
    "NotationPrinter",
]
