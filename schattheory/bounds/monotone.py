r"""Is a network bound nondecreasing in every spectral quantity it reads? Checked on its NetworkForm, with SymPy.

A bound evaluated at the upper ends of certified intervals (:mod:`schattheory.networks.certified`) is an upper
bound of the same bound at the exact values only if the bound's right-hand side is nondecreasing in each quantity
the intervals stand for. :func:`interval_refusal` checks that, per form (and per p for the families with a
Schatten exponent), and returns ``None`` when the evaluation is sound or a one-line reason when it is not.

What counts as a spectral quantity: per layer ``s`` (spectral norm), ``F`` (Frobenius), ``b`` (||A^T||_{2,1}),
``rho`` (rank proxy r(p)), ``X_l`` (B_{l-1,A} prod_{i >= l} s_i / gamma, increasing in every s_i); globally ``P``
(prod_l s_l) and ``X`` (B P / gamma). The rank ``k`` has no certified interval: a family reading it is refused.

How it is checked (every step on the form's own SymPy expressions, nothing assumed per family):

* substitutions that state ranges the quantities are known to have: X = B P / gamma; in a per-layer term
  P = s Q (Q > 0 the product over the other layers, so the term's dependence on s through P is seen); rho = 1 + R
  with R >= 0 (r(p) >= 1); delta = 1 / (1 + D) with D > 0 (delta in (0, 1)); p its numeric value (exact Rational)
  when the p is known.
* :func:`direction`: the sign of the dependence, by structural rules (sums, products of nonnegative factors, powers
  with constant exponents, log, exp, ceiling, floor, Max, Min), else the sign SymPy proves for the derivative.
* a term and the outer expression must each be nondecreasing in every quantity, with one exception that some
  theorems need: a term decreasing in s like s^e (e < 0 constant: Bartlett et al.'s (b/s)^(2/3), Neyshabur et al.'s
  F^2/s^2) is accepted when the outer expression's growth in P pays for it. With A an aggregate of such terms,
  d ln A / d ln s_l = w e for a share w in [0, 1] (t_l / A for a sum, 1 for a product, 0 or 1 for a max), so
  d outer / d ln s_l >= P d outer/dP + sum_A A d outer/dA e_A, which must be shown >= 0 (for Bartlett et al.:
  P T^(3/2) gives 1 + (3/2)(-2/3) = 0).

>>> from schattheory.bounds.network import network_form
>>> interval_refusal(network_form("bartlett2017")) is None
True
>>> interval_refusal(network_form("pinto2024"))
'reads the rank of each layer (k), which a randomized top-k does not certify'
"""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import family as fam

__all__ = ["direction", "interval_refusal", "spectral_reads"]

_Q = sp.Symbol("Q_other", positive=True)  # prod of the other layers' spectral norms
_R = sp.Symbol("R_rho", nonnegative=True)  # rho - 1 >= 0
_D = sp.Symbol("D_delta", positive=True)  # delta = 1 / (1 + D) in (0, 1)
_LAYER_SPECTRAL = (fam.s, fam.F, fam.b, fam.rho, fam.Xl)
_NAMES = {
    fam.s: "the spectral norm s",
    fam.F: "the Frobenius norm F",
    fam.b: "||A^T||_{2,1} (b)",
    fam.rho: "the rank proxy rho",
    fam.Xl: "X_l",
    fam.P: "P = prod s_l",
    _Q: "the other layers' s (via P)",
    _R: "the rank proxy rho",
    fam.X: "X = B P / gamma",
}


def spectral_reads(form) -> set:
    """The spectral quantities (per-layer and global symbols) a form reads."""
    used = set()
    for agg in form.terms():
        used |= agg.term.free_symbols
    used |= sp.sympify(form.outer).free_symbols
    return used & (set(_LAYER_SPECTRAL) | {fam.P, fam.X, fam.k})


def direction(expr, v) -> int | None:
    """+1 nondecreasing, -1 nonincreasing, 0 constant in ``v`` (every symbol in its assumed range), None unknown.

    >>> x, y = sp.symbols("x y", positive=True)
    >>> direction(sp.sqrt(x + 1) * y, x), direction(sp.log(1 / x + y), x), direction(sp.sin(x), x)
    (1, -1, None)
    """
    expr = sp.sympify(expr)
    if v not in expr.free_symbols:
        return 0
    if expr == v:
        return 1
    found = _structural(expr, v)
    if found is not None:
        return found
    try:
        der = sp.diff(expr, v)
    except Exception:  # noqa: BLE001  (an expression SymPy cannot differentiate: unknown)
        return None
    if der.is_nonnegative:
        return 1
    if der.is_nonpositive:
        return -1
    return None


def _same(dirs) -> int | None:
    dirs = [d for d in dirs if d != 0]
    if not dirs:
        return 0
    if None in dirs or len(set(dirs)) > 1:
        return None
    return dirs[0]


def _structural(expr, v) -> int | None:
    if isinstance(expr, sp.Add):
        return _same([direction(a, v) for a in expr.args])
    if isinstance(expr, sp.Mul):
        const = [a for a in expr.args if v not in a.free_symbols]
        dep = [a for a in expr.args if v in a.free_symbols]
        c = sp.Mul(*const)
        sign = 1 if c.is_positive else (-1 if c.is_negative else None)
        if sign is None:
            return None
        if len(dep) > 1 and not all(a.is_nonnegative for a in dep):
            return None  # a product of monotone factors is monotone only when they are nonnegative
        d = _same([direction(a, v) for a in dep])
        return None if d is None else sign * d
    if isinstance(expr, sp.Pow):
        base, e = expr.args
        if v in e.free_symbols:
            if v in base.free_symbols:
                return None
            if (base - 1).is_nonnegative:
                return direction(e, v)
            if base.is_positive and (1 - base).is_nonnegative:
                d = direction(e, v)
                return None if d is None else -d
            return None
        if e.is_positive and (base.is_nonnegative or e.is_odd):
            return direction(base, v)
        if e.is_negative and base.is_positive:
            d = direction(base, v)
            return None if d is None else -d
        return None
    if isinstance(expr, (sp.log, sp.exp, sp.ceiling, sp.floor)):
        if isinstance(expr, sp.log) and not expr.args[0].is_positive:
            return None
        return direction(expr.args[0], v)
    if isinstance(expr, (sp.Max, sp.Min)):
        return _same([direction(a, v) for a in expr.args])
    return None


def _ranges(expr, p):
    sub = {fam.X: fam.B * fam.P / fam.gamma, fam.delta: 1 / (1 + _D)}
    if p is not None:
        sub[fam.p] = sp.nsimplify(p)
    return sp.expand_log(sp.sympify(expr).xreplace(sub))  # log(x y) -> log x + log y where x, y > 0


def interval_refusal(form, p=None) -> str | None:
    """None when ``form`` (at exponent ``p``, or every p when None) is nondecreasing in every spectral quantity it
    reads, checked as the module says; otherwise the reason, one line."""
    p = None if p is None else float(p)
    key = (
        form.key,
        form.mode,
        sp.sympify(form.outer),
        tuple((a.symbol, sp.sympify(a.term), a.op) for a in form.aggregates),
        tuple(form.conventions.items()),
        p,
    )  # SymPy expressions hash by structure
    if key not in _CACHE:
        _CACHE[key] = _refusal(form, p)
    return _CACHE[key]


_CACHE: dict = {}


def _refusal(form, p) -> str | None:
    reads = spectral_reads(form)
    if fam.k in reads:
        return "reads the rank of each layer (k), which a randomized top-k does not certify"
    if not reads:
        return None  # no spectral quantity: the value is the exact one
    # the engine takes every term's logarithm, so every aggregate it forms is positive
    positive = {agg.symbol: sp.Symbol(f"{agg.symbol}_agg", positive=True) for agg in form.terms()}
    outer = _ranges(form.outer, p).xreplace(positive)
    absorbed = []  # (aggregate, e) with a term decreasing like s^e
    for agg in form.terms():
        term = _ranges(agg.term, p).xreplace({fam.P: fam.s * _Q}).xreplace({fam.rho: 1 + _R})
        if not term.free_symbols & {fam.s, fam.F, fam.b, _R, fam.Xl, _Q}:
            continue  # reads no spectral quantity: exact, whatever the outer does
        a_sym = positive[agg.symbol]
        for v in (fam.F, fam.b, _R, fam.Xl, _Q):
            if direction(term, v) not in (0, 1):
                return f"SymPy cannot show the per-layer term of {agg.symbol} nondecreasing in {_NAMES[v]}" + (
                    f" at p = {p:g}" if p is not None else ""
                )
        ds = direction(term, fam.s)
        if ds not in (0, 1):
            e = sp.simplify(sp.expand_log(fam.s * sp.diff(sp.log(term), fam.s), force=True))
            if not (e.is_number and e.is_negative):
                return (
                    f"SymPy cannot show the per-layer term of {agg.symbol} nondecreasing in the spectral norm "
                    "s, nor decreasing like a constant power of it" + (f" at p = {p:g}" if p is not None else "")
                )
            absorbed.append((a_sym, e))
        if direction(outer, a_sym) not in (0, 1):
            return f"SymPy cannot show the outer expression nondecreasing in {agg.symbol}"
    if direction(outer, fam.P) not in (0, 1):
        return "SymPy cannot show the outer expression nondecreasing in P = prod s_l"
    if absorbed:
        growth = fam.P * sp.diff(outer, fam.P) + sum(a * sp.diff(outer, a) * e for a, e in absorbed)
        if not (growth.is_nonnegative or sp.simplify(growth).is_nonnegative):
            names = ", ".join(str(a) for a, _ in absorbed)
            return (
                f"the per-layer terms of {names} decrease in s and SymPy cannot show the growth of the outer "
                "expression in P = prod s_l pays for it"
            )
    return None
