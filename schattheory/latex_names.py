"""LaTeX printing of expressions with the toolkit's notation (the one hook the LaTeX package builds on).

``latex()`` prints with the active notation map of :mod:`schattheory.latex.notation` (letters and macros that a user
can switch); :data:`SYMBOL_NAMES` are the foundation's symbol names, which that map starts from.
"""
from __future__ import annotations

#: symbol name -> LaTeX; the notation map in schattheory.latex can override these
SYMBOL_NAMES: dict[str, str] = {
    "epsilon": r"\varepsilon",
    "X_F": r"\|X\|_F",
    "Omega": r"\Omega",
}


def latex(expr, **settings) -> str:
    from .latex.notation import print_latex  # the active notation (default: SymPy's printing with SYMBOL_NAMES)

    return print_latex(expr, **settings)
