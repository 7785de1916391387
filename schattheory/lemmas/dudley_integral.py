r"""Dudley's entropy integral computed: the functional F(alpha) for a bound on ln N(eps), its closed form by
SymPy, the optimal alpha, the limit alpha -> 0, and an independent mpmath quadrature route.

The statement these compute with is :data:`schattheory.lemmas.dudley.ENTROPY_INTEGRAL` (Bartlett et al. 2017,
Lemma A.5, recalled): unnormalised, :math:`4\alpha/\sqrt n + (12/n)\int_\alpha^{\sqrt n D}\sqrt{\ln N}`;
normalised, :math:`4\alpha + (12/\sqrt n)\int_\alpha^{D}\sqrt{\ln N}`. This module registers nothing, so that
the derivation engine's Dudley step can use it without importing the registered closed forms.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from schattheory.core.derivation.algebra import monomial
from schattheory.foundation.errors import InputError
from schattheory.foundation.symbols import N, alpha, eps

__all__ = ["dudley_functional", "dudley_expr", "optimal_alpha", "quadrature", "numeric_optimum"]

n = N
_ALPHA = alpha


def dudley_functional(logn, eps_sym=eps, *, n=n, normalised: bool = False, diameter=sp.S.One, alpha_sym=alpha):
    """The Dudley functional F(alpha) for a given ln N(eps), with the integral done by SymPy: (F, closed?).

    Unnormalised: 4 alpha/sqrt(n) + 12/n int_alpha^{sqrt(n) D} sqrt(ln N); normalised: 4 alpha + 12/sqrt(n)
    int_alpha^D sqrt(ln N).
    """
    return _functional(sp.sympify(logn), eps_sym, sp.sympify(n), bool(normalised), sp.sympify(diameter), alpha_sym)


@lru_cache(maxsize=256)
def _functional(logn, eps_sym, n, normalised, diameter, alpha_sym):
    top = sp.sympify(diameter) if normalised else sp.sqrt(n) * sp.sympify(diameter)
    lead = 4 * alpha_sym if normalised else 4 * alpha_sym / sp.sqrt(n)
    pref = 12 / sp.sqrt(n) if normalised else sp.Integer(12) / n
    integrand = _sqrt_entropy(logn, eps_sym)
    integral = sp.integrate(integrand, (eps_sym, alpha_sym, top), conds="none")
    if integral.has(sp.Integral):
        return lead + pref * integral, False
    if alpha_sym in integral.free_symbols and not integral.has(sp.Piecewise):
        integral = _tidy(integral)
    return lead + pref * integral, True


def _sqrt_entropy(logn, eps_sym):
    """sqrt(ln N), with a monomial c eps^e written as sqrt(c) eps^(e/2) so SymPy integrates it in closed form."""
    if isinstance(logn, sp.Add):
        return sp.sqrt(logn)
    logn = monomial(logn)
    coeff, dep = logn.as_independent(eps_sym, as_Add=False)
    base, expo = dep.as_base_exp()
    if base == eps_sym:
        return monomial(sp.sqrt(coeff)) * eps_sym ** (expo / 2)
    return sp.sqrt(logn)


def optimal_alpha(functional, alpha_sym=alpha):
    """The positive stationary point of F(alpha) when SymPy finds exactly one (F is convex in alpha), else None."""
    deriv = sp.diff(functional, alpha_sym)
    try:
        sols = sp.solve(sp.Eq(deriv, 0), alpha_sym, dict=False)
    except (NotImplementedError, ValueError):
        return None
    sols = [s_ for s_ in sols if s_.is_positive is not False and not s_.has(sp.I)]
    return sp.simplify(sols[0]) if len(sols) == 1 else None


def dudley_expr(logn, eps_sym=eps, *, n=n, normalised: bool = True, diameter=sp.S.One, alpha="optimal", assumptions=()):
    """(Rademacher bound, description) from a bound ``logn`` on ln N(eps).

    ``alpha``: ``"optimal"`` (closed-form minimiser when SymPy finds it, else alpha stays a free symbol),
    ``0`` (the limit alpha -> 0, allowed when the integral converges at 0, decided symbolically, using
    ``assumptions`` such as ``q < 2`` when the exponents are symbolic) or an expression.
    """
    func, closed = dudley_functional(logn, eps_sym, n=n, normalised=normalised, diameter=diameter)
    if not closed:
        return func, "no closed-form integral: use quadrature()"
    if alpha == "optimal":
        astar = optimal_alpha(func)
        if astar is None:
            return func, "no closed-form optimal alpha: alpha stays free; use numeric_optimum()"
        return _tidy(func.subs(_ALPHA, astar)), f"optimal alpha = {sp.sstr(astar)}"
    if sp.sympify(alpha) == 0:
        return _tidy(_alpha_to_zero(func, assumptions)), "alpha -> 0"
    return _tidy(func.subs(_ALPHA, sp.sympify(alpha))), f"alpha = {sp.sstr(alpha)}"


def _positive_under(expr, assumptions) -> bool:
    """Whether ``expr`` > 0 follows from the symbols' assumptions plus strict bounds ``x < y`` / ``x > y``."""
    from schattheory.foundation.assumptions import positive_under

    expr = sp.simplify(expr)
    if expr.is_positive or positive_under(expr, ()):  # the assumptions of an enclosing assuming(...) block
        return True
    for cond in assumptions:
        cond = sp.sympify(cond)
        if isinstance(cond, (sp.StrictLessThan, sp.StrictGreaterThan)):
            small, big = (cond.lhs, cond.rhs) if isinstance(cond, sp.StrictLessThan) else (cond.rhs, cond.lhs)
            u = sp.Dummy("u", positive=True)
            if isinstance(small, sp.Symbol) and sp.simplify(expr.subs(small, big - u)).is_positive:
                return True
            if isinstance(big, sp.Symbol) and sp.simplify(expr.subs(big, small + u)).is_positive:
                return True
    return False


def _alpha_to_zero(func, assumptions):
    """The limit alpha -> 0+ of F(alpha) = (terms with alpha^e, e > 0) + rest; refuses when e > 0 is not shown."""
    out = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(func)):
        if _ALPHA not in term.free_symbols:
            out += term
            continue
        factors = sp.Mul.make_args(monomial(term))
        expo = sp.Add(*[f.as_base_exp()[1] for f in factors if f.as_base_exp()[0] == _ALPHA])
        rest = [f for f in factors if f.as_base_exp()[0] != _ALPHA]
        if any(_ALPHA in f.free_symbols for f in rest) or not _positive_under(expo, assumptions):
            raise InputError(
                "alpha",
                0,
                f"cannot show that {sp.sstr(term)} -> 0 as alpha -> 0 (the entropy "
                "integral must converge at 0: need q < 2)",
            )
    # every alpha-power has a positive exponent: set them to 0 in the unexpanded form (keeps its factorisation)
    zeroed = func.replace(lambda x: isinstance(x, sp.Pow) and x.base == _ALPHA, lambda x: sp.S.Zero)
    zeroed = zeroed.xreplace({_ALPHA: sp.S.Zero})
    return zeroed if _ALPHA not in zeroed.free_symbols else out


def _tidy(expr):
    """Each additive term as a monomial with atomic bases (cheap; no ``simplify``)."""
    return sp.Add(*[monomial(t) for t in sp.Add.make_args(sp.sympify(expr))])


def quadrature(
    logn, values: dict, *, eps_sym=eps, n_value, alpha_value, normalised: bool = False, diameter=1, dps: int = 50
):
    """F(alpha) by mpmath quadrature of sqrt(ln N) at ``dps`` digits (an independent route to the closed forms)."""
    from schattheory.numerics.backends import mpmath_evaluator, to_mpf

    logn = sp.sympify(logn).subs(values)
    free = logn.free_symbols - {eps_sym}
    if free:
        raise InputError("values", sorted(map(str, values)), f"missing {sorted(map(str, free))}")
    fn = mpmath_evaluator(logn, (eps_sym,))
    with mpmath.workdps(dps):
        nv, av, dv = to_mpf(n_value), to_mpf(alpha_value), to_mpf(diameter)
        top = dv if normalised else mpmath.sqrt(nv) * dv
        if av > top:
            raise InputError("alpha", alpha_value, "must not exceed the upper integration limit")
        integral = mpmath.quad(lambda e: mpmath.sqrt(max(fn(e, dps=dps), 0)), [av, top])
        if normalised:
            return 4 * av + 12 / mpmath.sqrt(nv) * integral
        return 4 * av / mpmath.sqrt(nv) + 12 / nv * integral


def numeric_optimum(
    logn,
    values: dict,
    *,
    eps_sym=eps,
    n_value,
    normalised: bool = False,
    diameter=1,
    dps: int = 30,
    iterations: int = 80,
):
    """(min_alpha F(alpha), alpha*) by quadrature and a golden-section search in log(alpha) (F is convex)."""
    from schattheory.numerics.backends import to_mpf

    with mpmath.workdps(dps):
        nv, dv = to_mpf(n_value), to_mpf(diameter)
        top = dv if normalised else mpmath.sqrt(nv) * dv

        def F(t):
            return quadrature(
                logn,
                values,
                eps_sym=eps_sym,
                n_value=n_value,
                alpha_value=mpmath.exp(t),
                normalised=normalised,
                diameter=diameter,
                dps=dps,
            )

        lo, hi = mpmath.log(top) - 40, mpmath.log(top)
        g = (mpmath.sqrt(5) - 1) / 2
        x1, x2 = hi - g * (hi - lo), lo + g * (hi - lo)
        f1, f2 = F(x1), F(x2)
        for _ in range(iterations):
            if f1 < f2:
                hi, x2, f2 = x2, x1, f1
                x1 = hi - g * (hi - lo)
                f1 = F(x1)
            else:
                lo, x1, f1 = x1, x2, f2
                x2 = lo + g * (hi - lo)
                f2 = F(x2)
        t = (lo + hi) / 2
        return F(t), mpmath.exp(t)
