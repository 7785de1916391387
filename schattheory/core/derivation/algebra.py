"""Algebra helpers of the derivation engine: cheap normal forms (monomials with atomic bases), constant splitting,
per-layer symbols, and the small structural queries the steps use (no ``simplify`` unless a comparison needs it)."""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from schattheory.foundation.latex_names import latex as _latex

__all__ = ["monomial", "split_constant", "layer_function", "per_layer"]


def _same(x, y) -> bool:
    if x == y:
        return True
    try:
        return sp.simplify(x - y) == 0
    except Exception:  # comparisons of odd objects
        return False


def monomial(expr):
    """A product of powers rewritten with atomic bases and merged exponents (cheap; no ``simplify``).

    (a rho)^(2/(p+2)) (2 Omega X^2/p)^(p/(p+2)) becomes 2^(p/(p+2)) Omega^(p/(p+2)) X^(2p/(p+2)) ...; bases that
    are sums are kept whole. Returns the expression unchanged when it is not a product of powers.
    """
    return _monomial(sp.sympify(expr))


@lru_cache(maxsize=4096)
def _monomial(expr):
    expr = sp.expand_power_base(expr, force=True)
    if isinstance(expr, sp.Add):
        return expr
    powers: dict = {}
    pending = list(sp.Mul.make_args(expr))
    while pending:
        factor = pending.pop()
        base, expo = factor.as_base_exp()
        if isinstance(base, sp.Pow):  # nested powers left by the printer
            base, expo = base.base, base.exp * expo
        if isinstance(base, sp.Add):  # 1 - p/(p+2) -> 2/(p+2): split sums that factor
            fac = sp.factor(sp.together(base))
            if fac != base and isinstance(fac, (sp.Mul, sp.Pow)):
                pending += list(sp.Mul.make_args(sp.expand_power_base(fac**expo, force=True)))
                continue
        powers[base] = powers.get(base, sp.S.Zero) + expo
    return sp.Mul(*[base ** _exponent(e) for base, e in powers.items() if e != 0])


def _exponent(e):
    """A sum of rational functions as one fraction (cheap: no factoring unless it is short)."""
    if e.is_Number or e.is_Symbol:
        return e
    t = sp.together(e)
    num, den = sp.fraction(t)
    return sp.expand(num) / den if den != 1 else sp.expand(num)


def split_constant(expr, allowed):
    """(constant, rest) with expr = constant * rest, constant the factors whose symbols are all in ``allowed``."""
    expr = monomial(expr)
    const, rest = [], []
    for factor in sp.Mul.make_args(expr):
        (const if all(_is_allowed(x, allowed) for x in factor.free_symbols) else rest).append(factor)
    return sp.Mul(*const), sp.Mul(*rest)


@lru_cache(maxsize=None)
def layer_function(name: str, latex_name: str | None = None):
    """A per-layer quantity ``name_l`` as an undefined SymPy function of the layer index (prints ``name_{l}``)."""
    tex = latex_name or name

    def _latex_(self, printer, exp=None):
        out = "%s_{%s}" % (tex, printer._print(self.args[0]))
        return "{%s}^{%s}" % (out, exp) if exp is not None else out

    return type(
        f"{name}_layer",
        (sp.Function,),
        {
            "_latex": _latex_,
            "is_positive": True,
            "nargs": 1,
            "_sympystr": lambda self, printer: f"{name}_{self.args[0]}",
        },
    )


def per_layer(sym: sp.Symbol, index):
    """The per-layer version ``sym_l`` of a symbol, as used by :class:`SumOverLayers` for a symbolic depth."""
    return layer_function(sym.name, _latex(sym))(index)


def _is_power_of(expr, base, exponent) -> bool:
    if expr == base**exponent:
        return True
    if isinstance(expr, sp.Pow) and expr.base == base:
        return sp.simplify(expr.exp - exponent) == 0
    return False


def _summands(expr):
    if isinstance(expr, sp.Sum):
        return [expr.function]
    return list(sp.Add.make_args(expr))


def _rebuild_sum(expr, parts):
    if isinstance(expr, sp.Sum):
        return sp.Sum(parts[0], *expr.limits)
    return sp.Add(*parts)


def _find_sum(expr):
    if isinstance(expr, sp.Sum) or (isinstance(expr, sp.Add) and len(expr.args) > 1):
        return expr
    for arg in sp.preorder_traversal(expr):
        if isinstance(arg, sp.Sum):
            return arg
    for arg in sp.preorder_traversal(expr):
        if isinstance(arg, sp.Add) and len(arg.args) > 1:
            return arg
    return None


def _is_allowed(sym, allowed) -> bool:
    return sym in allowed or any(getattr(sym, "name", "").startswith(getattr(a_, "name", "") + "_") for a_ in allowed)
