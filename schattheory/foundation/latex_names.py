"""LaTeX printing of expressions with the toolkit's notation: the hook behind ``Bound.latex()``.

``latex()`` prints with the active notation map of :mod:`schattheory.foundation.notation` (letters and macros that a
user can switch); :data:`SYMBOL_NAMES` are the foundation's symbol names, which that map starts from.
"""

from __future__ import annotations

from schattheory.foundation.notation import SYMBOL_NAMES, print_latex

__all__ = ["SYMBOL_NAMES", "latex"]


def latex(expr, **settings) -> str:
    """LaTeX of ``expr`` in the active notation."""
    return print_latex(expr, **settings)
