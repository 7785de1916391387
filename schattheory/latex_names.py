"""LaTeX printing of expressions with the toolkit's notation (the one hook the LaTeX package builds on)."""
from __future__ import annotations

import sympy as sp

#: symbol name -> LaTeX; the notation map in schattheory.latex can override these
SYMBOL_NAMES: dict[str, str] = {
    "epsilon": r"\varepsilon",
    "X_F": r"\|X\|_F",
    "Omega": r"\Omega",
}


def latex(expr, **settings) -> str:
    names = {s: SYMBOL_NAMES[s.name] for s in getattr(expr, "free_symbols", ()) if getattr(s, "name", None)
             in SYMBOL_NAMES}
    settings.setdefault("symbol_names", names)
    return sp.latex(expr, **settings)
