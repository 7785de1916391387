r"""Round trip: the LaTeX the toolkit prints, parsed back with SymPy's LaTeX parser, must be the same expression.

:func:`roundtrip` prints ``Bound.expr`` with the active notation, parses it with
``sympy.parsing.latex.parse_latex`` (needs the ``antlr4-python3-runtime`` 4.11 of the test extras), maps the parsed
symbols back to the toolkit's (by printing and parsing each symbol alone, so any notation works) and compares:
first exactly (``expand``/``cancel`` of the difference), then numerically at the example point and two further
admissible points at 30 digits.

The parse is ANTLR's two-stage strategy (:func:`parse`): SLL prediction first, full LL only when SLL reports a
syntax error. ANTLR documents that an SLL parse either reports a syntax error or returns the parse tree LL would
return, so the result is ``parse_latex``'s; on the long bounds SLL is about four times faster.

Constructs the parser does not know (Schatten and spectral norms, rank, matrix symbols) are reported as
``unsupported`` with the reason, never silently passed. Two readings of the parser that are not about the printed
structure are worked around, and the result says so in its ``method``:

- a symbol whose LaTeX the parser cannot read alone (``\|X\|_F``, ``\mathrm{KL}``), or that it reads as a
  differential (``d x``), is renamed to a plain stand-in before printing: the structure around it is what is checked
  (each symbol's own LaTeX is checked by the notation tests);
- a symbol before a parenthesis (``q \left(x\right)^{k}``) is read as a function call that swallows the exponent;
  the product is then made explicit (``q \cdot \left(x\right)^{k}``), which is how a reader reads it.

>>> from schattheory.core.registry import get
>>> rt = roundtrip(get("schatten.norm"))
>>> rt.status, rt.method
('equal', 'symbolic')
>>> roundtrip(get("schatten.monotonicity")).reason
'SchattenNorm (\\left\\|A\\right\\|_{S_{p}}) is not in the grammar of sympy.parsing.latex'

References: SymPy documentation, "Parsing LaTeX" (``sympy.parsing.latex.parse_latex``, ANTLR backend); ANTLR 4
runtime API, ``PredictionMode.SLL`` ("the parser will either return a correct parse tree (i.e. the same parse tree
that would be returned with the LL prediction mode), or it will report a syntax error").
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from schattheory.foundation.notation import Notation, current, use

__all__ = ["RoundTrip", "roundtrip", "unsupported_reason", "parser_available", "parse"]


@dataclass(frozen=True)
class RoundTrip:
    key: str
    status: str  # "equal", "different", "unsupported", "parse-error"
    tex: str
    reason: str = ""
    method: str = ""  # "symbolic" or "numeric" when equal
    parsed: object = None


def parser_available() -> bool:
    """Whether sympy's LaTeX parser can run (the antlr4 runtime is installed)."""
    try:
        from sympy.parsing.latex import parse_latex

        parse_latex("x")
    except Exception:  # ImportError, or sympy's complaint about a missing/mismatched antlr runtime
        return False
    return True


def _parse_sll(tex: str):
    """``parse_latex(tex)`` with ANTLR's SLL prediction mode: the same steps as SymPy's ANTLR entry point (the same
    lexer, parser, error listener and conversion), with the prediction mode set before the parse."""
    import antlr4
    from antlr4.atn.PredictionMode import PredictionMode
    from sympy.parsing.latex import _parse_latex_antlr as sympy_antlr

    tex = tex.strip()
    listener = sympy_antlr.MathErrorListener(tex)
    lexer = sympy_antlr.LaTeXLexer(antlr4.InputStream(tex))
    lexer.removeErrorListeners()
    lexer.addErrorListener(listener)
    parser = sympy_antlr.LaTeXParser(antlr4.CommonTokenStream(lexer))
    parser.removeErrorListeners()
    parser.addErrorListener(listener)
    parser._interp.predictionMode = PredictionMode.SLL
    return sympy_antlr.convert_relation(parser.math().relation())


def parse(tex: str):
    """``sympy.parsing.latex.parse_latex(tex)``, parsed in two stages: SLL prediction, then full LL (SymPy's own
    call) only if SLL reports a syntax error or SymPy's internals are not where :func:`_parse_sll` expects them. An
    SLL parse without a syntax error is the LL parse (ANTLR's guarantee), so the result is ``parse_latex``'s."""
    from sympy.parsing.latex import parse_latex

    try:
        return _parse_sll(tex)
    except Exception:  # a syntax error under SLL (LaTeXParsingError), or another SymPy layout: the one-stage parse
        return parse_latex(tex)


def unsupported_reason(expr, n: Notation | None = None) -> str:
    """Why the parser cannot read ``expr``'s LaTeX (empty when it can)."""
    from schattheory.numerics.schatten import SpectralFunction

    n = n or current()
    expr = sp.sympify(expr)
    for f in sorted(expr.atoms(SpectralFunction), key=str):
        return f"{type(f).__name__} ({n.latex(f)}) is not in the grammar of sympy.parsing.latex"
    if expr.atoms(sp.MatrixSymbol):
        return "matrix symbols are not in the grammar of sympy.parsing.latex"
    for kind in (sp.Piecewise, sp.Sum, sp.Product, sp.Integral):
        if expr.atoms(kind) or expr.has(kind):
            return f"{kind.__name__} is printed in a form the parser does not read back"
    return ""


def _unreadable_symbols(expr, n: Notation) -> list:
    """The symbols the parser cannot read back from their own LaTeX, or reads as a differential (``d``)."""
    out = []
    for s in sorted(expr.free_symbols, key=str):
        tex = n.latex(s)
        try:
            parsed = parse(tex)
        except Exception:  # the parser's own error types vary with the backend
            out.append(s)
            continue
        if not isinstance(parsed, sp.Symbol) or tex == "d":
            out.append(s)
    return out


def _stand_ins(expr, symbols) -> dict:
    """symbol -> a plain stand-in symbol zeta_k (same assumptions) not already in ``expr``."""
    taken = {s.name for s in expr.free_symbols}
    out, k = {}, 1
    for s in symbols:
        while f"zeta_{k}" in taken:
            k += 1
        out[s] = sp.Symbol(f"zeta_{k}", **s.assumptions0)
        k += 1
    return out


def _explicit_products(tex: str, names) -> str:
    """``q \\left(`` -> ``q \\cdot \\left(`` for the symbols ``names`` (printed LaTeX), so no call is read."""
    import re

    for name in sorted(names, key=len, reverse=True):
        pattern = r"(?<![\\A-Za-z])" + re.escape(name) + r" \\left\("
        tex = re.sub(pattern, lambda m, name=name: name + r" \cdot \left(", tex)
    return tex


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
    original = bound.expr if side == "rhs" else bound.lhs
    key = bound.key
    notes = []
    with use(notation if notation is not None else current()) as n:
        if not isinstance(original, sp.Basic):
            return RoundTrip(key, "unsupported", str(original), "the left-hand side is LaTeX text, not an expression")
        why = unsupported_reason(original, n)
        if why:
            return RoundTrip(key, "unsupported", n.latex(original), why)
        renamed = _stand_ins(original, _unreadable_symbols(original, n))
        if renamed:
            notes.append(
                "symbols renamed for the parser: "
                + ", ".join(f"{n.latex(a)} -> {n.latex(b)}" for a, b in renamed.items())
            )
        expr = original.xreplace(renamed)
        tex = n.latex(expr)
        back = {parse(n.latex(s)): s for s in expr.free_symbols}
        if not any(n.latex(s) == "e" for s in expr.free_symbols):
            back[sp.Symbol("e")] = sp.E  # the parser reads e^{x} as a symbol e; the printer means Euler's number
        by_name = {str(k): v for k, v in back.items()}
        # the parser reads a symbol before a parenthesis, "q \left(x\right)^{k}", as a call q(x)^k: every such
        # product is made explicit before the one parse (parsing a long bound takes seconds)
        names = sorted({"e" if v is sp.E else n.latex(v) for v in by_name.values()}, key=len, reverse=True)
        made = [name for name in names if _explicit_products(tex, [name]) != tex]
        tex = _explicit_products(tex, made)
        try:
            parsed = parse(tex)
            calls = sorted({x.func.__name__ for x in parsed.atoms(AppliedUndef) if x.func.__name__ in by_name})
            if calls:  # a call the rewrite above did not foresee
                tex = _explicit_products(tex, ["e" if by_name[c] is sp.E else n.latex(by_name[c]) for c in calls])
                parsed = parse(tex)
                made += [c for c in calls if c not in made]
            if made:
                notes.append(f"products made explicit before a parenthesis ({', '.join(sorted(made))})")
        except Exception as exc:  # the parser's own error types vary with the backend
            return RoundTrip(key, "parse-error", tex, f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    parsed = parsed.xreplace(back)
    # the parser reads \max and \min as undefined functions
    parsed = parsed.replace(sp.Function("max"), sp.Max).replace(sp.Function("min"), sp.Min)
    if hasattr(parsed, "doit"):
        parsed = parsed.doit()
    parsed = parsed.xreplace({b: a for a, b in renamed.items()})
    extra = parsed.free_symbols - original.free_symbols
    note = "; ".join(notes)
    if extra:
        return RoundTrip(
            key,
            "different",
            tex,
            f"parsed back with unknown symbols {sorted(map(str, extra))}",
            method=note,
            parsed=parsed,
        )
    diff = parsed - original
    if diff == 0 or sp.cancel(sp.expand(diff)) == 0:
        return RoundTrip(key, "equal", tex, method="; ".join(["symbolic"] + notes), parsed=parsed)
    example = {renamed.get(k, k): v for k, v in bound.example_values.items()}
    ok, why = _numerically_equal(parsed.xreplace(renamed), expr, example)
    if ok:
        return RoundTrip(key, "equal", tex, method="; ".join(["numeric"] + notes), parsed=parsed)
    return RoundTrip(key, "different", tex, why, method=note, parsed=parsed)
