r"""Dudley's entropy integral as an operation on Bounds: from a bound on ln N(eps) to a Rademacher bound.

Statement used (Bartlett, Foster, Telgarsky 2017, Lemma A.5, as recalled in classical-notes 1.9 [R]; the covering
is in the *unnormalised* l2 norm on R^n and the class takes values in [0, 1] and contains 0):

.. math::

    \mathfrak R(\mathcal F|_S) \le \inf_{\alpha>0}\Big(\frac{4\alpha}{\sqrt n}
        + \frac{12}{n}\int_\alpha^{\sqrt n}\sqrt{\ln\mathcal N(\mathcal F|_S,\varepsilon,\|\cdot\|_2)}\,d\varepsilon\Big).

The *normalised* form (empirical L2 norm ``||.||_2/sqrt(n)``, class of diameter D, D = 1 for [0,1]-valued classes)
is the same statement after eps -> sqrt(n) eps:
:math:`\inf_\alpha 4\alpha + \frac{12}{\sqrt n}\int_\alpha^{D}\sqrt{\ln\mathcal N}\,d\varepsilon`.

Closed forms (registered; checked against mpmath quadrature in the tests):

- :math:`\ln\mathcal N\le R^2/\varepsilon^2`: :math:`\alpha^\star = 3R/\sqrt n`, bound
  :math:`\frac{12R}{n}\big(1+\ln\frac{n}{3R}\big)` (valid when 3R <= n);
- :math:`\ln\mathcal N\le c\,\varepsilon^{-q}`, 0 < q < 2: :math:`\alpha^\star=(9c/n)^{1/q}`, bound
  :math:`\big(12\sqrt c\,n^{-(2+q)/4} - 2q\,\alpha^\star n^{-1/2}\big)/(1-q/2)`; and the alpha -> 0 form
  :math:`12\sqrt c\,n^{-(2+q)/4}/(1-q/2)`.

>>> import sympy as sp
>>> from schattheory.symbols import R, eps, N
>>> expr, form = dudley_expr(R**2 / eps**2, eps, n=N, normalised=False)
>>> form
'optimal alpha = 3*R/sqrt(N)'
>>> sp.simplify(expr - 12*R/N*(1 + sp.log(N/(3*R))))
0

Reference: Bartlett et al. (2017), Lemma A.5 (recalled); Dudley (1967).
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp

from ..bound import Bound, Limit
from ..errors import InputError
from ..provenance import Provenance, cite
from ..registry import register
from ..symbols import R, N, alpha, c, eps, q

_ALPHA = alpha

__all__ = ["ENTROPY_INTEGRAL", "dudley_functional", "dudley_expr", "dudley", "optimal_alpha", "quadrature",
           "numeric_optimum", "KEYS"]

n = N
_LNN = sp.Function("lnN")
_PROV = Provenance("classical", (cite("bartlett2017", "Lemma A.5 (recalled, classical-notes 1.9)"),
                                 cite("dudley1967")),
                   note="statement recalled [R], consistent with Graf et al.'s code; unnormalised l2 cover")

#: the general statement (not registered: its integrand is an arbitrary function, so it cannot be evaluated)
ENTROPY_INTEGRAL = Bound(
    "dudley.entropy_integral", kind="lemma", lhs=r"\mathfrak{R}(\mathcal{F}|_S)",
    expr=4 * alpha / sp.sqrt(n) + sp.Rational(12) / n * sp.Integral(sp.sqrt(_LNN(eps)), (eps, alpha, sp.sqrt(n))),
    params=(alpha, n), provenance=_PROV, assumptions=(sp.Le(alpha, sp.sqrt(n)),),
    title="Dudley entropy integral, unnormalised l2 cover on R^n, [0,1]-valued class containing 0; "
          "lnN(eps) = ln N(F|_S, eps, ||.||_2); holds for every alpha in (0, sqrt(n)]",
)


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
    from ..derivation import monomial

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


def dudley_expr(logn, eps_sym=eps, *, n=n, normalised: bool = True, diameter=sp.S.One, alpha="optimal",
                assumptions=()):
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
    from ..assumptions import positive_under

    expr = sp.simplify(expr)
    if expr.is_positive or positive_under(expr, ()):   # the assumptions of an enclosing assuming(...) block
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
    from ..derivation import monomial

    out = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(func)):
        if _ALPHA not in term.free_symbols:
            out += term
            continue
        factors = sp.Mul.make_args(monomial(term))
        expo = sp.Add(*[f.as_base_exp()[1] for f in factors if f.as_base_exp()[0] == _ALPHA])
        rest = [f for f in factors if f.as_base_exp()[0] != _ALPHA]
        if any(_ALPHA in f.free_symbols for f in rest) or not _positive_under(expo, assumptions):
            raise InputError("alpha", 0, f"cannot show that {sp.sstr(term)} -> 0 as alpha -> 0 (the entropy "
                                         "integral must converge at 0: need q < 2)")
    # every alpha-power has a positive exponent: set them to 0 in the unexpanded form (keeps its factorisation)
    zeroed = func.replace(lambda x: isinstance(x, sp.Pow) and x.base == _ALPHA, lambda x: sp.S.Zero)
    zeroed = zeroed.xreplace({_ALPHA: sp.S.Zero})
    return zeroed if _ALPHA not in zeroed.free_symbols else out


def _tidy(expr):
    """Each additive term as a monomial with atomic bases (cheap; no ``simplify``)."""
    from ..derivation import monomial

    return sp.Add(*[monomial(t) for t in sp.Add.make_args(sp.sympify(expr))])


def dudley(bound: Bound, eps_sym=eps, *, n=n, normalised: bool = False, diameter=sp.S.One, alpha="optimal",
           key: str | None = None) -> Bound:
    """Dudley's entropy integral applied to a Bound on ln N(eps): a derived Bound on the Rademacher complexity.

    The result carries a replayable derivation (:mod:`schattheory.derivation`) starting from ``bound``.

    >>> from schattheory.registry import get
    >>> from schattheory.symbols import R, N
    >>> rad = dudley(get("dudley.example.inverse_square"))
    >>> rad.key, rad.status.value
    ('dudley.example.inverse_square.dudley', 'derived')
    """
    from ..derivation import DudleyStep, Start, derive, derived_bound

    if not isinstance(bound, Bound):
        raise InputError("bound", type(bound).__name__, "must be a Bound on ln N(eps)")
    if eps_sym not in bound.expr.free_symbols:
        raise InputError("eps", eps_sym, f"does not occur in {bound.key}")
    steps = [Start(bound=bound), DudleyStep(eps_sym, n, normalised=normalised, diameter=diameter, alpha=alpha)]
    der = derive(key or f"{bound.key}.dudley", steps, example=bound.example_values)
    params = [s_ for s_ in bound.params if s_ != eps_sym and s_ in der.expr.free_symbols]
    params += sorted(der.expr.free_symbols - set(params), key=str)
    example = {k: v for k, v in bound.example_values.items() if k != eps_sym}
    example.setdefault(n, 10 ** 4)
    return derived_bound(der, lhs=r"\mathfrak{R}(\mathcal{F}|_S)", params=params, example=example,
                         title=f"Dudley entropy integral applied to {bound.key}", citations=(cite("bartlett2017",
                                                                                                  "Lemma A.5"),))


def quadrature(logn, values: dict, *, eps_sym=eps, n_value, alpha_value, normalised: bool = False, diameter=1,
               dps: int = 50):
    """F(alpha) by mpmath quadrature of sqrt(ln N) at ``dps`` digits (an independent route to the closed forms)."""
    from ..backends import mpmath_evaluator, to_mpf

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


def numeric_optimum(logn, values: dict, *, eps_sym=eps, n_value, normalised: bool = False, diameter=1,
                    dps: int = 30, iterations: int = 80):
    """(min_alpha F(alpha), alpha*) by quadrature and a golden-section search in log(alpha) (F is convex)."""
    from ..backends import to_mpf

    with mpmath.workdps(dps):
        nv, dv = to_mpf(n_value), to_mpf(diameter)
        top = dv if normalised else mpmath.sqrt(nv) * dv

        def F(t):
            return quadrature(logn, values, eps_sym=eps_sym, n_value=n_value, alpha_value=mpmath.exp(t),
                              normalised=normalised, diameter=diameter, dps=dps)

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


# ---- registered closed forms ---------------------------------------------------------------------------------
KEYS = ("dudley.inverse_square", "dudley.inverse_square.optimal", "dudley.power_law", "dudley.power_law.optimal",
        "dudley.power_law.alpha0")
_LHS = r"\mathfrak{R}(\mathcal{F}|_S)"
_EXN = {R: 2, n: 1000}
_DER = Provenance("classical", (cite("bartlett2017", "Lemma A.5 (recalled), closed form as in classical-notes 1.9"),
                                cite("dudley1967")),
                  note="closed form of the recalled Lemma A.5 integral; [D] in classical-notes 1.9/10.3")

register(Bound(
    "dudley.inverse_square", kind="lemma", lhs=_LHS,
    expr=4 * alpha / sp.sqrt(n) + 12 * R / n * sp.log(sp.sqrt(n) / alpha), params=(R, n, alpha),
    assumptions=(sp.Le(alpha, sp.sqrt(n)),), provenance=_DER, example={R: 2, n: 1000, alpha: sp.Rational(1, 10)},
    title="Dudley with ln N(eps) <= R^2/eps^2 (unnormalised l2), any alpha in (0, sqrt(n)]",
))
register(Bound(
    "dudley.inverse_square.optimal", kind="lemma", lhs=_LHS,
    expr=12 * R / n * (1 + sp.log(n / (3 * R))), params=(R, n), assumptions=(sp.Le(3 * R, n),),
    provenance=_DER, example=_EXN,
    title="Dudley with ln N <= R^2/eps^2 at the optimal alpha* = 3R/sqrt(n): 12R/n (1 + ln(n/(3R)))",
    limits=(Limit(R, 0, 0, "the bound (tends to 0 with R)"),),
))
_PL_ANY = 4 * alpha / sp.sqrt(n) + 12 * sp.sqrt(c) * (n ** ((2 - q) / 4) - alpha ** (1 - q / 2)) / (n * (1 - q / 2))
register(Bound(
    "dudley.power_law", kind="lemma", lhs=_LHS, expr=_PL_ANY, params=(c, q, n, alpha),
    assumptions=(sp.Le(q, 2), sp.Le(alpha, sp.sqrt(n))), provenance=_DER,
    example={c: 5, q: 1, n: 1000, alpha: sp.Rational(1, 10)},
    title="Dudley with ln N(eps) <= c eps^(-q), 0 < q <= 2 (unnormalised l2), any alpha in (0, sqrt(n)]; at q = 2 "
          "the removable singularity is the limit 4 alpha/sqrt(n) + 12 sqrt(c)/n ln(sqrt(n)/alpha)",
    limits=(Limit(q, 2, 4 * alpha / sp.sqrt(n) + 12 * sp.sqrt(c) / n * sp.log(sp.sqrt(n) / alpha),
                  "the bound from below (the inverse-square form with c equal to R squared)", direction="-"),),
))
_ASTAR = (9 * c / n) ** (1 / q)
register(Bound(
    "dudley.power_law.optimal", kind="lemma", lhs=_LHS,
    expr=(12 * sp.sqrt(c) * n ** (-(2 + q) / 4) - 2 * q * _ASTAR / sp.sqrt(n)) / (1 - q / 2), params=(c, q, n),
    assumptions=(sp.Lt(q, 2), sp.Le(_ASTAR, sp.sqrt(n))), provenance=_DER, example={c: 5, q: 1, n: 1000},
    title="Dudley with ln N <= c eps^(-q), 0 < q < 2, at the optimal alpha* = (9c/n)^(1/q)",
))
register(Bound(
    "dudley.power_law.alpha0", kind="lemma", lhs=_LHS,
    expr=12 * sp.sqrt(c) * n ** (-(2 + q) / 4) / (1 - q / 2), params=(c, q, n), assumptions=(sp.Lt(q, 2),),
    provenance=_DER, example={c: 5, q: 1, n: 1000},
    title="Dudley with ln N <= c eps^(-q), 0 < q < 2, alpha -> 0 (the integral converges at 0)",
    limits=(Limit(q, 0, 12 * sp.sqrt(c) / sp.sqrt(n), "the bound (tends to the parametric 12 sqrt(c/n))"),),
))
# a worked example for the operation (the BFT-type entropy bound ln N <= R^2/eps^2)
register(Bound(
    "dudley.example.inverse_square", kind="lemma", lhs=r"\ln\mathcal{N}(\mathcal{F}|_S,\varepsilon)",
    expr=R ** 2 / eps ** 2, params=(R, eps), provenance=Provenance(
        "classical", (cite("bartlett2017", "Thm 3.3 form: ln N <= R^2/eps^2"),),
        note="the shape of the whole-network cover of Bartlett et al. Theorem 3.3, used as Dudley's input"),
    example={R: 2, eps: sp.Rational(1, 2)}, title="example input of Dudley: ln N(eps) <= R^2/eps^2",
))
