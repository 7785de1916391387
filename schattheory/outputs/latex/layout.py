r"""Fitting long formulas on the page: estimated typeset widths, line breaks between terms, and abbreviations.

Explicit bounds are long (a square root of a sum over layers of products of powers); printed as one line they run
hundreds of points into the margin, and a display cannot break inside ``\sqrt`` or ``\left(...\right)``. A
:class:`Layout` therefore writes the statement as a display whose lines fit ``budget`` points, moving large
subexpressions into a "where" list (``T_{1} = ...``): first the repeated ones (common subexpressions), then, while a
line is still too wide, the widest subexpression of that line. Long sums break between terms.

The width of a LaTeX string is estimated by :func:`tex_width` (Computer Modern at 11pt: letters ~6pt, binary
operators with their spacing ~13pt, fractions as wide as their wider part, scripts at 73%). The estimate is checked
against pdflatex by the compile tests (no overfull box wider than 5pt in any generated document).

>>> tex_width(r"\frac{a}{b}") < tex_width("a b")
True
>>> import sympy as sp
>>> x = sp.symbols("x_1:30", positive=True)
>>> lay = fit(sp.sqrt(sp.Add(*[v**2 for v in x])), budget=300)
>>> lay.lines, [name for name, _ in lay.defs]
(['\\sqrt{T_{1}}'], ['T_{1}'])
>>> all(tex_width(line) <= 300 for _, lines in lay.defs for line in lines)
True

Reference: widths of Computer Modern from Knuth, *Computers and Typesetting, Vol. E* (the cmr10/cmmi10 tables);
math spacing (thin/medium/thick mu skips) from *The TeXbook*, Ch. 18.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass, field

import sympy as sp

from schattheory.foundation.notation import Notation, current

__all__ = [
    "tex_width",
    "fit",
    "fit_many",
    "letters_for",
    "Layout",
    "DISPLAY_BUDGET_PT",
    "TEXT_WIDTH_PT",
    "page",
    "display_budget",
]

#: \textwidth of the generated documents (letter paper, 1in margins) and what a display line may use
TEXT_WIDTH_PT = 469.75
DISPLAY_BUDGET_PT = 400.0
_MARGIN_PT = TEXT_WIDTH_PT - DISPLAY_BUDGET_PT
_TEXT_WIDTH = contextvars.ContextVar("schattheory_text_width", default=TEXT_WIDTH_PT)


@contextlib.contextmanager
def page(text_width_pt: float):
    """Lay out for another ``\\textwidth`` (points), e.g. 360 for the article class's default margins at 11pt."""
    if not text_width_pt > _MARGIN_PT + 50:
        raise ValueError(f"text_width_pt={text_width_pt!r}: too narrow for a display")
    token = _TEXT_WIDTH.set(float(text_width_pt))
    try:
        yield
    finally:
        _TEXT_WIDTH.reset(token)


def display_budget() -> float:
    """What a display line may use on the current page (points)."""
    return _TEXT_WIDTH.get() - _MARGIN_PT


#: what the "T_{k} = " column of a where-list takes from a line
DEF_INDENT_PT = 45.0

_CHAR = 6.0
_SCRIPT = 0.73
_WIDE = {  # control words and their estimated widths in points
    "log": 17.0,
    "exp": 19.0,
    "max": 22.0,
    "min": 20.0,
    "sin": 16.0,
    "cos": 18.0,
    "ln": 12.0,
    "Pr": 14.0,
    "lim": 16.0,
    "sup": 17.0,
    "inf": 15.0,
    "det": 18.0,
    "cdot": 8.0,
    "times": 11.0,
    "leq": 14.0,
    "geq": 14.0,
    "le": 14.0,
    "ge": 14.0,
    "neq": 14.0,
    "approx": 14.0,
    "to": 14.0,
    "infty": 11.0,
    "sum": 14.0,
    "prod": 14.0,
    "int": 8.0,
    "ldots": 14.0,
    "dots": 14.0,
    "cdots": 14.0,
    "quad": 11.0,
    "qquad": 22.0,
    ",": 2.0,
    ";": 3.0,
    ":": 2.5,
    "!": -2.0,
    " ": 3.0,
    "|": 5.0,
    "{": 5.5,
    "}": 5.5,
    "lceil": 4.5,
    "rceil": 4.5,
    "lfloor": 4.5,
    "rfloor": 4.5,
    "langle": 4.5,
    "rangle": 4.5,
    "lbrack": 3.0,
    "rbrack": 3.0,
    "partial": 6.0,
    "ell": 4.5,
    "star": 5.5,
    "ast": 5.5,
    "prime": 3.0,
    "pm": 13.0,
    "mp": 13.0,
    "in": 12.0,
    "mid": 8.0,
}
_ACCENTS = {
    "hat",
    "tilde",
    "bar",
    "widetilde",
    "widehat",
    "overline",
    "mathbf",
    "mathrm",
    "mathit",
    "mathsf",
    "boldsymbol",
    "vec",
    "dot",
    "ddot",
    "mathcal",
    "mathbb",
    "mathfrak",
    "operatorname",
    "text",
    "textrm",
    "texttt",
    "mathtt",
}
_IGNORED = {
    "left",
    "right",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "displaystyle",
    "textstyle",
    "allowbreak",
    "limits",
    "nolimits",
    "mathopen",
    "mathclose",
}


def _group(tex: str, i: int) -> tuple[str, int]:
    """The argument starting at ``tex[i]``: a braced group or a single token; returns (content, next index)."""
    while i < len(tex) and tex[i] == " ":
        i += 1
    if i >= len(tex):
        return "", i
    if tex[i] == "{":
        depth, j = 0, i
        while j < len(tex):
            if tex[j] == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[i + 1 : j], j + 1
            j += 1
        return tex[i + 1 :], len(tex)
    if tex[i] == "\\":
        m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
        return m.group(0), i + len(m.group(0))
    return tex[i], i + 1


def tex_width(tex: str) -> float:
    """Estimated typeset width (points, 11pt Computer Modern, display style) of a math-mode LaTeX string."""
    width, i = 0.0, 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            name = m.group(1)
            i += len(m.group(0))
            if name in _IGNORED:
                continue
            if name == "frac" or name == "tfrac" or name == "dfrac":
                num, i = _group(tex, i)
                den, i = _group(tex, i)
                w = max(tex_width(num), tex_width(den)) * (0.8 if name == "tfrac" else 1.0) + 2.0
            elif name == "sqrt":
                if i < len(tex) and tex[i] == "[":
                    j = tex.index("]", i)
                    i = j + 1
                arg, i = _group(tex, i)
                w = tex_width(arg) + 10.0
            elif name in _ACCENTS:
                arg, i = _group(tex, i)
                text = name in {"operatorname", "text", "textrm", "texttt", "mathrm"}
                w = (
                    len(re.sub(r"\\[A-Za-z]+|[{}]", "x", arg)) * 5.5 + (3.0 if name == "operatorname" else 0)
                    if text
                    else tex_width(arg)
                )
            elif name in _WIDE:
                w = _WIDE[name]
            elif len(name) == 1:  # \| \{ \, etc.
                w = _WIDE.get(name, 5.0)
            else:  # Greek letters and other symbols
                w = 6.5
            width += w
        elif ch in "^_":
            arg, i = _group(tex, i + 1)
            w = tex_width(arg) * _SCRIPT
            # a superscript and a subscript on one base stack: count the wider once
            nxt = tex[i] if i < len(tex) else ""
            if nxt in "^_" and nxt != ch:
                arg2, i = _group(tex, i + 1)
                w = max(w, tex_width(arg2) * _SCRIPT)
            width += w + 0.5
        elif ch == "{":
            arg, i = _group(tex, i)
            width += tex_width(arg)
        elif ch in "+-":
            width += 13.0
            i += 1
        elif ch in "=<>":
            width += 14.0
            i += 1
        elif ch in "()[]":
            width += 4.5
            i += 1
        elif ch == ",":
            width += 5.0
            i += 1
        elif ch in " &}":
            i += 1
        elif ch.isdigit() or ch == ".":
            width += 5.5
            i += 1
        else:
            width += _CHAR
            i += 1
    return width


@dataclass
class Layout:
    """A statement laid out in lines: ``lines`` of the main display and ``defs`` = [(name, lines)]."""

    lines: list
    defs: list = field(default_factory=list)
    main: object = None  # the main expression, written with the names
    names: list = field(default_factory=list)  # [(name symbol, its expression)] in reading order

    def expand(self):
        """The main expression with every name replaced by what it stands for (the original expression)."""
        expr, mapping = self.main, dict(self.names)
        for _ in range(len(mapping) + 1):  # a name's value may use later names
            if not expr.free_symbols & set(mapping):
                break
            expr = expr.xreplace(mapping)
        return expr

    def fits(self, budget: float) -> bool:
        return all(tex_width(x) <= budget for x in self.lines) and all(
            tex_width(x) <= budget for _, ls in self.defs for x in ls
        )


def _terms(expr):
    return list(expr.as_ordered_terms()) if isinstance(expr, sp.Add) else [expr]


def _factors(term, n: Notation) -> list[str] | None:
    """The printed factors of a product without a denominator (None when it prints as one unit)."""
    from sympy.printing.precedence import PRECEDENCE

    from schattheory.foundation.notation import NotationPrinter

    if not isinstance(term, sp.Mul) or any(f.is_Pow and f.exp.is_negative for f in term.args):
        return None
    printer = NotationPrinter(n)
    return [printer.parenthesize(f, PRECEDENCE["Mul"], strict=False) for f in term.as_ordered_factors()]


def _pieces(expr, n: Notation, budget: float):
    """(expression, LaTeX, joiner) units a display may break between: terms, and factors of a wide product."""
    out = []
    for i, term in enumerate(_terms(expr)):
        sign = ""
        if i and term.could_extract_minus_sign():
            sign, term = "- ", -term
        elif i:
            sign = "+ "
        tex = n.latex(term)
        factors = _factors(term, n) if tex_width(tex) > budget else None
        if not factors:
            out.append((term, sign + tex, "term"))
            continue
        for j, (f, ftex) in enumerate(zip(term.as_ordered_factors(), factors)):
            if j == 0:
                out.append((f, sign + ftex, "term"))
            else:
                out.append((f, ("\\cdot " if ftex[:1].isdigit() else "") + ftex, "factor"))
    return out


def _lines(expr, n: Notation, budget: float, head: str = "") -> list[str]:
    """``head + expr`` broken into lines of at most ``budget`` points, between terms and between the factors of a
    product too wide for one line (continuation lines of a product start with a multiplication dot)."""
    full = head + n.latex(expr)
    if tex_width(full) <= budget:
        return [full]
    lines, line = [], head
    for _, tex, kind in _pieces(expr, n, budget - tex_width(head)):  # as in fit(): the first line carries the head
        joined = (line.rstrip() + " " + tex) if line.strip() else tex
        if line.strip() and line != head and tex_width(joined) > budget:
            lines.append(line)
            line = tex if kind == "term" or tex.startswith("\\cdot") else "\\cdot " + tex
        else:
            line = joined
    lines.append(line)
    return lines


def _candidates(expr):
    """Proper subexpressions that can carry a name (not atoms, not bare numbers or negations)."""
    out = []
    for sub in sp.preorder_traversal(expr):
        if sub is expr or sub.is_Atom or sub.is_number or not isinstance(sub, sp.Basic):
            continue
        if isinstance(sub, (sp.Add, sp.Mul, sp.Pow, sp.Function, sp.Max, sp.Min)) and not (
            isinstance(sub, sp.Mul) and sub.args[0] == -1 and len(sub.args) == 2
        ):
            out.append(sub)
    return out


def _count(expr, sym) -> int:
    """How many times ``sym`` occurs in ``expr`` (as a leaf of the expression tree)."""
    return sum(1 for x in sp.preorder_traversal(expr) if x == sym)


def _descend(sub, n: Notation):
    """Prefer the argument to its wrapper: name X rather than sqrt(X) or log(X) when X is most of it."""
    while isinstance(sub, (sp.Pow, sp.Function)):
        inner = sub.base if isinstance(sub, sp.Pow) else (sub.args[0] if len(sub.args) == 1 else None)
        if inner is None or inner.is_Atom or tex_width(n.latex(inner)) < 0.7 * tex_width(n.latex(sub)):
            break
        sub = inner
    return sub


LETTERS = ("T", "Z", "Q", "U", "V", "Y", "H", "J")


def letters_for(expr, n: Notation, count: int = 1) -> list[str]:
    """``count`` letters for abbreviations that no symbol of ``expr`` uses (alone or with a subscript)."""
    taken = {n.latex(s) for s in sp.sympify(expr).free_symbols}
    free = [x for x in LETTERS if not any(t == x or t.startswith(x + "_") for t in taken)]
    free += [f"{x}'" for x in free]  # more displays than letters: primed names
    return (free or ["T"] * count)[:count] if len(free) >= count else (free * count)[:count]


def _letter(expr, n: Notation) -> str:
    return letters_for(expr, n, 1)[0]


def fit(
    expr,
    *,
    head: str = "",
    notation: Notation | None = None,
    budget: float | None = None,
    min_shared: float = 60.0,
    max_defs: int = 40,
    letter: str | None = None,
) -> Layout:
    """Lay out ``head + expr`` (``head`` e.g. ``"L \\leq "``) in lines of at most ``budget`` points.

    Repeated subexpressions wider than ``min_shared`` points get a name first; then the widest subexpression of any
    line still too wide, until everything fits or ``max_defs`` names are used. Names are numbered in reading order.
    """
    (lines,), defs, (main,), names = fit_many(
        [(head, expr)], notation=notation, budget=budget, min_shared=min_shared, max_defs=max_defs, letter=letter
    )
    return Layout(lines, defs, main=main, names=names)


class _Printed:
    """A notation whose ``latex`` remembers what it printed, for one layout: the search prints the same
    subexpressions again and again (about four times each on the registered statements), and printing is most of
    its time. Everything else is the notation's own."""

    def __init__(self, n: Notation):
        self._n, self._seen = n, {}

    def latex(self, expr, **kw):
        key = (expr, tuple(sorted(kw.items())))
        if key not in self._seen:
            self._seen[key] = self._n.latex(expr, **kw)
        return self._seen[key]

    def __getattr__(self, name):
        return getattr(self._n, name)


def fit_many(
    items,
    *,
    notation: Notation | None = None,
    budget: float | None = None,
    min_shared: float = 60.0,
    max_defs: int = 40,
    letter: str | None = None,
):
    """Several displays ``[(head, expr), ...]`` laid out together, sharing one list of names.

    Returns (lines per item, [(name, lines)], main expressions, [(name symbol, value)]).
    """
    n = _Printed(notation or current())
    budget = display_budget() if budget is None else budget
    heads = [h for h, _ in items]
    exprs = [sp.sympify(e) for _, e in items]
    letter = letter or _letter(sp.Tuple(*exprs), n)
    counter = iter(range(901, 10**6))

    def new_name():  # a placeholder as wide as a final name; renamed T_1, T_2, ... at the end
        return sp.Symbol(f"{letter}_{next(counter)}", positive=True)

    defs: dict = {}  # name -> expression (may contain other names)

    # 1. repeated subexpressions, when they are wide
    if any(tex_width(h + n.latex(e)) > budget for h, e in zip(heads, exprs)):
        repl, reduced = sp.cse(exprs, symbols=iter(new_name, None), order="none")
        back = {}
        for sym, sub in repl:
            sub = sub.xreplace(back)
            if tex_width(n.latex(sub)) >= min_shared:
                defs[sym] = sub
            else:
                back[sym] = sub
        exprs = [e.xreplace(back) for e in reduced]
        defs = {k: v.xreplace(back) for k, v in defs.items()}
        # keep a name only where it is used at least twice (after the narrow ones went back in)
        while True:
            uses = {k: sum(_count(e, k) for e in [*exprs, *defs.values()]) for k in defs}
            single = [k for k, u in uses.items() if u < 2]
            if not single:
                break
            k = single[0]
            value = defs.pop(k)
            exprs = [e.xreplace({k: value}) for e in exprs]
            defs = {kk: vv.xreplace({k: value}) for kk, vv in defs.items()}

        # name what is inside a square root or logarithm rather than the wrapper: sqrt(T_1), not T_1 = sqrt(...)
        for k in list(defs):
            inner = _descend(defs[k], n)
            if inner != defs[k]:
                wrapper = defs[k].xreplace({inner: k})
                defs[k] = inner
                exprs = [e.xreplace({k: wrapper}) for e in exprs]
                defs = {kk: (vv if kk == k else vv.xreplace({k: wrapper})) for kk, vv in defs.items()}

    # 2. the widest subexpression of a line that is still too wide
    def_budget = budget - DEF_INDENT_PT

    def over(e, hd, budget):
        """The unbreakable pieces of e that do not fit on a line by themselves."""
        if tex_width(hd + n.latex(e)) <= budget:
            return []
        return [
            x
            for i, (x, tex, _) in enumerate(_pieces(e, n, budget - tex_width(hd)))
            if tex_width((hd if i == 0 else "") + tex) > budget
        ]

    def reduce(e, hd, budget):
        while len(defs) < max_defs:
            wide = sorted(over(e, hd, budget), key=lambda t: -tex_width(n.latex(t)))
            # a sum standing alone can break over lines: name a too-wide parenthesised sum itself
            pool = [
                c
                for t in wide[:1]
                for c in ([t] if isinstance(t, sp.Add) and t != e else []) + _candidates(t)
                if c.free_symbols
            ]
            if not pool:
                break
            sub = _descend(max(pool, key=lambda c: tex_width(n.latex(c))), n)
            name = next((k for k, v in defs.items() if v == sub), None) or new_name()
            defs[name] = sub
            e = e.xreplace({sub: name})
        return e

    exprs = [reduce(e, h, budget) for h, e in zip(heads, exprs)]
    done: set = set()
    while len(done) < len(defs):
        for name in [k for k in defs if k not in done]:
            defs[name] = reduce(defs[name], "", def_budget)
            done.add(name)
    order = _order(sp.Tuple(*exprs), defs)
    final = {s: sp.Symbol(f"{letter}_{i}", positive=True) for i, s in enumerate(order, 1)}
    exprs = [e.xreplace(final) for e in exprs]
    names = [(final[s], defs[s].xreplace(final)) for s in order]
    lines = [_lines(e, n, budget, h) for h, e in zip(heads, exprs)]
    return lines, [(n.latex(sym), _lines(val, n, def_budget, "")) for sym, val in names], exprs, names


def _order(expr, defs) -> list:
    """Names in order of first use, reading the main line and then each definition."""
    order, queue = [], [expr]
    while queue:
        e = queue.pop(0)
        for s in sorted(e.free_symbols & set(defs), key=lambda x: int(str(x).split("_")[1])):
            if s not in order:
                order.append(s)
                queue.append(defs[s])
    return order
