r"""Round trip: the LaTeX the toolkit prints, parsed back with SymPy's LaTeX parser, must be the same expression.

:func:`roundtrip` prints ``Bound.expr`` with the active notation, parses it with
``sympy.parsing.latex.parse_latex`` (needs the ``antlr4-python3-runtime`` 4.11 of the test extras), maps the parsed
symbols back to the toolkit's (by printing and parsing each symbol alone, so any notation works) and compares:
first exactly (``expand``/``cancel`` of the difference), then numerically at the example point and two further
admissible points at 30 digits.

Constructs the parser does not know (Schatten and spectral norms, rank, matrix symbols, a symbol printed as
``\|X\|_F``) are reported as ``unsupported`` with the reason, never silently passed.

>>> from schattheory.registry import get
>>> rt = roundtrip(get("schatten.norm"))
>>> rt.status, rt.method
('equal', 'symbolic')
>>> roundtrip(get("schatten.monotonicity")).reason
'SchattenNorm (\\left\\|A\\right\\|_{S_{p}}) is not in the grammar of sympy.parsing.latex'

Reference: SymPy documentation, "Parsing LaTeX" (``sympy.parsing.latex.parse_latex``, ANTLR backend).
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from .notation import Notation, current, use

__all__ = ["RoundTrip", "roundtrip", "unsupported_reason", "parser_available"]


@dataclass(frozen=True)
class RoundTrip:
    key: str
    status: str          # "equal", "different", "unsupported", "parse-error"
    tex: str
    reason: str = ""
    method: str = ""     # "symbolic" or "numeric" when equal
    parsed: object = None


def parser_available() -> bool:
    """Whether sympy's LaTeX parser can run (the antlr4 runtime is installed)."""
    try:
        from sympy.parsing.latex import parse_latex

        parse_latex("x")
    except Exception:  # ImportError, or sympy's complaint about a missing/mismatched antlr runtime
        return False
    return True


def unsupported_reason(expr, n: Notation | None = None) -> str:
    """Why the parser cannot read ``expr``'s LaTeX (empty when it can)."""
    from ..schatten import SpectralFunction

    n = n or current()
    expr = sp.sympify(expr)
    for f in sorted(expr.atoms(SpectralFunction), key=str):
        return f"{type(f).__name__} ({n.latex(f)}) is not in the grammar of sympy.parsing.latex"
    if expr.atoms(sp.MatrixSymbol):
        return "matrix symbols are not in the grammar of sympy.parsing.latex"
    for kind in (sp.Piecewise, sp.Sum, sp.Product, sp.Integral):
        if expr.atoms(kind) or expr.has(kind):
            return f"{kind.__name__} is printed in a form the parser does not read back"
    from sympy.parsing.latex import parse_latex

    for s in sorted(expr.free_symbols, key=str):
        tex = n.latex(s)
        try:
            parsed = parse_latex(tex)
        except Exception:
            return f"symbol {s.name} prints as {tex}, which the parser cannot read"
        if not isinstance(parsed, sp.Symbol):
            return f"symbol {s.name} prints as {tex}, which the parser reads as {sp.sstr(parsed)}"
    return ""


def _points(expr, example):
    """The example point and two more admissible points (integers for integer symbols)."""
    syms = sorted(expr.free_symbols, key=str)
    pts = []
    for shift in (0, 1, 2):
        pt = {}
        for i, s in enumerate(syms):
            if shift == 0 and s in example:
                pt[s] = sp.sympify(example[s])
            elif s.is_integer:
                pt[s] = sp.Integer(2 + (i + shift) % 5)
            else:
                pt[s] = sp.Rational(3 + 2 * ((i + shift) % 4), 7)
        pts.append(pt)
    return pts


def _numerically_equal(a, b, example) -> tuple[bool, str]:
    for pt in _points(a + b, example):
        with mpmath.workdps(40):
            va, vb = sp.N(a.subs(pt), 30), sp.N(b.subs(pt), 30)
        if not (va.is_number and vb.is_number) or va.has(sp.nan, sp.zoo) or vb.has(sp.nan, sp.zoo):
            return False, f"not numeric at {pt}: {va} vs {vb}"
        if abs(complex(va) - complex(vb)) > 1e-20 * max(1.0, abs(complex(va))):
            return False, f"{va} != {vb} at {pt}"
    return True, ""


def roundtrip(bound, *, notation: Notation | None = None, side: str = "rhs") -> RoundTrip:
    """Print, parse back and compare ``bound.expr`` (``side="lhs"``: the symbolic left-hand side)."""
    from sympy.parsing.latex import parse_latex

    expr = bound.expr if side == "rhs" else bound.lhs
    key = bound.key
    with use(notation if notation is not None else current()) as n:
        if not isinstance(expr, sp.Basic):
            return RoundTrip(key, "unsupported", str(expr), "the left-hand side is LaTeX text, not an expression")
        tex = n.latex(expr)
        why = unsupported_reason(expr, n)
        if why:
            return RoundTrip(key, "unsupported", tex, why)
        try:
            parsed = parse_latex(tex)
        except Exception as exc:  # the parser's own error types vary with the backend
            return RoundTrip(key, "parse-error", tex, f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        back = {parse_latex(n.latex(s)): s for s in expr.free_symbols}
    if not any(n.latex(s) == "e" for s in expr.free_symbols):
        back[sp.Symbol("e")] = sp.E  # the parser reads e^{x} as a symbol e; the printer means Euler's number
    # the parser reads a symbol before a parenthesis, "N \left(x + 1\right)", as a function call N(x + 1)
    by_name = {str(k): v for k, v in back.items()}
    calls = sorted({x.func.__name__ for x in parsed.atoms(AppliedUndef) if x.func.__name__ in by_name})
    parsed = parsed.replace(lambda x: isinstance(x, AppliedUndef) and x.func.__name__ in by_name and len(x.args) == 1,
                            lambda x: sp.Symbol(x.func.__name__) * x.args[0])
    parsed = parsed.xreplace(back)
    # the parser reads \max and \min as undefined functions
    parsed = parsed.replace(sp.Function("max"), sp.Max).replace(sp.Function("min"), sp.Min)
    if hasattr(parsed, "doit"):
        parsed = parsed.doit()
    extra = parsed.free_symbols - expr.free_symbols
    if extra:
        if "d" in {n_.name for n_ in back} and all(x.name.startswith("d") for x in extra):
            return RoundTrip(key, "unsupported", tex, f"the parser reads d before a symbol as a differential "
                             f"({', '.join(sorted(map(str, extra)))})", parsed=parsed)
        return RoundTrip(key, "different", tex, f"parsed back with unknown symbols {sorted(map(str, extra))}",
                         parsed=parsed)
    diff = parsed - expr
    if diff == 0 or sp.cancel(sp.expand(diff)) == 0:
        return RoundTrip(key, "equal", tex, method="symbolic", parsed=parsed)
    ok, why = _numerically_equal(parsed, expr, bound.example_values)
    if ok:
        return RoundTrip(key, "equal", tex, method="numeric", parsed=parsed)
    if calls:  # the function-call reading also swallows what follows (q(x)^k for q x^k): not a printing error
        return RoundTrip(key, "unsupported", tex, f"the parser reads {', '.join(calls)} before a parenthesis as a "
                         f"function call ({why})", parsed=parsed)
    return RoundTrip(key, "different", tex, why, parsed=parsed)
