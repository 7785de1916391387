r"""Asymptotics of bounds: growth exponents with polylogs stripped, sample complexity, comparisons, named worst cases.

- :func:`growth` gives each variable's polynomial exponent as that variable alone tends to infinity, with
  polylogarithmic factors stripped (the O~ convention), or :class:`Exponential` for exponential growth, with the
  evidence: the structural rule that decided it (or a timed SymPy limit) and numeric slopes
  d log f / d log v at v = 2^10, 2^20, 2^40.
- :func:`sample_complexity` solves ``bound(N) = eps`` for N symbolically after dropping polylog factors in N.
- :func:`compare` forms the ratio of two expressions in a regime (substitutions such as r = 1 or r = sqrt(W)).
- :data:`SUBSTITUTIONS` names the worst-case inequalities used to put norm-based bounds on square W x W layers.
- :func:`limit` is :func:`schattheory.numerics.limits.timed_limit`: symbolic within a time budget, else an mpmath
sequence,
  and the result says which.
- :func:`sample_complexity_table` computes, for every comparator, the sample complexity on L square W x W layers of
  rank r with norms normalised (B prod_l ||A_l|| / gamma = 1), its growth exponents in W, L, r, whether it exploits
  low rank and its depth exponent.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import W, L, N, eps
>>> dict(growth(W**2 * L**3 * sp.log(W * L)**2, [W, L]))
{W: 2, L: 3}
>>> growth(2**L * W, [L])[L]
Exponential(rate=log(2))
>>> sample_complexity(sp.sqrt(2 * W * L**2 / N)).expr
2*L**2*W/epsilon**2

Reference: the O~ convention of the claims (SOURCES.md [claims]: polylog factors dropped, norms normalised).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from schattheory.foundation import symbols as S
from schattheory.numerics.limits import timed_limit

__all__ = [
    "Exponential",
    "GrowthReport",
    "growth",
    "SampleComplexity",
    "sample_complexity",
    "Comparison",
    "compare",
    "Substitution",
    "SUBSTITUTIONS",
    "limit",
    "sample_complexity_table",
    "TABLE_ROWS",
]


def limit(expr, symbol, point, direction=None, *, assume=None, **kw):
    """:func:`schattheory.numerics.limits.timed_limit` of an expression or a Bound under assumptions (a Bound's own,
    ``assume`` and those of an enclosing :func:`schattheory.foundation.assumptions.assuming`)."""
    from schattheory.foundation.assumptions import collect

    return timed_limit(getattr(expr, "expr", expr), symbol, point, direction, assume=collect(expr, assume), **kw)


@dataclass(frozen=True)
class Exponential:
    """log f ~ rate * v: exponential growth in the variable (a polynomial exponent would be infinite)."""

    rate: sp.Expr

    def __str__(self) -> str:
        return f"exp({sp.sstr(self.rate)} * v)"


class GrowthReport(dict):
    """variable -> exponent (SymPy number or expression) or :class:`Exponential`; ``.evidence`` and ``.slopes``."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.evidence: dict = {}
        self.slopes: dict = {}
        self.stripped: dict = {}


class _Undecided(Exception):
    pass


def _max_growth(a, b):
    for x, y in ((a, b), (b, a)):  # a decaying exponential is below every polynomial
        if isinstance(x, Exponential) and not isinstance(y, Exponential) and x.rate.is_negative:
            return y
    if isinstance(a, Exponential) or isinstance(b, Exponential):
        if isinstance(a, Exponential) and isinstance(b, Exponential):
            diff = sp.simplify(a.rate - b.rate)
            if diff.is_nonnegative:
                return a
            if diff.is_nonpositive:
                return b
            raise _Undecided(f"cannot order exponential rates {a.rate} and {b.rate}")
        return a if isinstance(a, Exponential) else b
    diff = sp.simplify(a - b)
    if diff.is_nonnegative:
        return a
    if diff.is_nonpositive:
        return b
    raise _Undecided(f"cannot order exponents {a} and {b}")


def _add_growth(a, b):
    if isinstance(a, Exponential) and isinstance(b, Exponential):
        return Exponential(sp.simplify(a.rate + b.rate))
    if isinstance(a, Exponential):
        return a
    if isinstance(b, Exponential):
        return b
    return sp.simplify(a + b)


def _eventually_positive(t, v) -> bool:
    """t > 0 for all large v: positive, or a product of positive factors and logs of quantities that grow in v."""
    if t.is_positive:
        return True
    for f in sp.Mul.make_args(t):
        if f.is_positive:
            continue
        if isinstance(f, sp.log):
            try:
                g = _growth_of(f.args[0], v, [])
            except _Undecided:
                return False
            if isinstance(g, Exponential) or g.is_positive:
                continue
        return False
    return True


def _growth_of(e, v, stripped: list):
    """Structural growth of a positive expression e as v -> oo (others fixed)."""
    if v not in e.free_symbols:
        return sp.Integer(0)
    if e == v:
        return sp.Integer(1)
    if isinstance(e, sp.Mul):
        out = sp.Integer(0)
        for f in e.args:
            out = _add_growth(out, _growth_of(f, v, stripped))
        return out
    if isinstance(e, sp.Pow):
        base, expo = e.args
        if v not in expo.free_symbols:
            g = _growth_of(base, v, stripped)
            if isinstance(g, Exponential):
                return Exponential(sp.simplify(expo * g.rate))
            return sp.simplify(expo * g)
        if v not in base.free_symbols:
            coeff = sp.Poly(expo, v) if expo.is_polynomial(v) else None
            if coeff is not None and coeff.degree() == 1:
                return Exponential(sp.simplify(coeff.LC() * sp.log(base)))
        raise _Undecided(f"power with {v} in the exponent: {e}")
    if isinstance(e, sp.exp):
        arg = e.args[0]
        if arg.is_polynomial(v) and sp.Poly(arg, v).degree() == 1:
            return Exponential(sp.Poly(arg, v).LC())
        if isinstance(arg, sp.log):
            return _growth_of(arg.args[0], v, stripped)
        raise _Undecided(f"exp of a non-linear argument: {e}")
    if isinstance(e, sp.Add):
        if not all(_eventually_positive(t, v) for t in e.args if v in t.free_symbols):
            raise _Undecided(f"sum with terms of unknown sign: {e}")
        out = None
        for t in e.args:
            g = _growth_of(t, v, stripped)
            out = g if out is None else _max_growth(out, g)
        return out
    if isinstance(e, sp.log):
        g = _growth_of(e.args[0], v, stripped)
        if isinstance(g, Exponential):
            return sp.Integer(1)
        if g.is_positive:
            stripped.append(e)
            return sp.Integer(0)
        if g.is_zero:
            return sp.Integer(0)
        raise _Undecided(f"log of a quantity that need not grow: {e}")
    if isinstance(e, (sp.ceiling, sp.floor)):
        g = _growth_of(e.args[0], v, stripped)
        if isinstance(g, Exponential) or g.is_positive:
            return g
        raise _Undecided(f"ceiling of a quantity that need not grow: {e}")
    if isinstance(e, sp.atan):
        g = _growth_of(e.args[0], v, stripped)
        if isinstance(g, Exponential):
            return sp.Integer(0)
        if g.is_nonpositive:
            return g  # atan(u) ~ u as u -> 0; bounded when u stays bounded
        if g.is_positive:
            return sp.Integer(0)  # atan(u) -> pi/2
        raise _Undecided(f"atan of a quantity of unknown growth: {e}")
    if isinstance(e, sp.Max):
        out = None
        for t in e.args:
            g = _growth_of(t, v, stripped)
            out = g if out is None else _max_growth(out, g)
        return out
    raise _Undecided(f"no structural rule for {type(e).__name__}")


def _default_at(expr, v):
    out = {}
    for x in expr.free_symbols - {v}:
        out[x] = sp.Rational(1, 2) if x.name in ("p", "epsilon", "delta") else sp.Integer(3)
    return out


def _slopes(expr, v, at, ks=(10, 20, 40)):
    """d log f / d log v between v = 2^k and 2^(k+1), at 30 digits."""
    from schattheory.numerics.backends import mpmath_evaluator

    e = sp.sympify(expr).subs(at)
    fn = mpmath_evaluator(sp.log(e), (v,))
    out = []
    for kk in ks:
        try:
            with mpmath.workdps(30):
                a, b = fn(sp.Integer(2) ** kk, dps=30), fn(sp.Integer(2) ** (kk + 1), dps=30)
                out.append((2**kk, float((b - a) / mpmath.log(2))))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            out.append((2**kk, math.nan))
    return out


def growth(expr, variables, *, at=None, timeout: float = 10.0, numeric: bool = True, assume=None) -> GrowthReport:
    """Each variable's polynomial exponent (polylog factors stripped) or :class:`Exponential`, with evidence.

    Assumptions (a Bound's own, ``assume`` and an enclosing :func:`schattheory.foundation.assumptions.assuming`) decide
    which term of a sum dominates: under ``p < 2``, ``W^(2/(p+2)) + W^(p/(p+2))`` grows like ``W^(2/(p+2))``.
    """
    from schattheory.foundation.assumptions import check_point, collect, reparametrise

    rels = collect(expr, assume)
    original = sp.sympify(getattr(expr, "expr", expr))
    for v in variables:
        check_point(v, sp.oo, rels)
    rep = reparametrise(rels, keep=set(variables))
    expr = rep.apply(original)
    report = GrowthReport()
    for v in variables:
        stripped: list = []
        try:
            g = _growth_of(expr, v, stripped)
            how = "structural rules (products add, sums take the max, logs of growing quantities are polylog)"
        except _Undecided as why:
            g, how = _limit_growth(expr, v, timeout, None if at else at, str(why))
        if rep:
            g = Exponential(rep.restore(g.rate)) if isinstance(g, Exponential) else rep.restore(g)
            stripped = [rep.restore(x) for x in stripped]
            how += "; under " + ", ".join(map(sp.sstr, rep.relations))
        report[v] = g
        report.stripped[v] = tuple(stripped)
        text = how + (f"; polylog factors stripped: {', '.join(map(sp.sstr, stripped))}" if stripped else "")
        if numeric:
            # the default point of the reparametrised expression satisfies the assumptions (fresh symbols = 3)
            report.slopes[v] = _slopes(original, v, dict(at)) if at else _slopes(expr, v, _default_at(expr, v))
            text += "; numeric slopes d log f/d log v: " + ", ".join(
                f"{s:.4g} at 2^{int(math.log2(x))}" for x, s in report.slopes[v]
            )
        report.evidence[v] = text
    return report


def _check_against_slope(expr, v, at, value, why):
    """A symbolic exponent in other symbols is SymPy's answer for *some* signs of them (it picks one branch of a
    max silently, e.g. p/(p+2) for W^(2/(p+2)) + W^(p/(p+2)) whatever p is): check it against the numeric slope at
    the admissible point and refuse when they disagree."""
    if not (sp.sympify(value).free_symbols - {v}):
        return
    slope = _slopes(expr, v, at, ks=(60,))[0][1]
    guess = sp.sympify(value).subs(at)
    if guess.free_symbols or not math.isfinite(slope):
        return
    if abs(float(guess) - slope) > 0.1:
        raise ValueError(
            f"growth of {sp.sstr(expr)} in {v} undecided: {why}; SymPy's limit {sp.sstr(value)} "
            f"disagrees with the numeric slope {slope:.4g} at {at}: it depends on the signs of the "
            f"other symbols; state them once with assuming(...) or assume=[...] (e.g. p < 2)"
        )


def _limit_growth(expr, v, timeout, at, why):
    at = dict(at) if at else _default_at(expr, v)
    res = timed_limit(sp.log(expr) / sp.log(v), v, sp.oo, timeout=timeout, at=at)
    if res.ok and res.value is not sp.oo:
        _check_against_slope(expr, v, at, res.value, why)
        return res.value, f"{why}; limit log f / log v = {res}" + (
            " (NUMERIC: not a symbolic result)" if res.method == "numeric" else ""
        )
    rate = timed_limit(sp.log(expr) / v, v, sp.oo, timeout=timeout, at=at)
    if rate.ok:
        return Exponential(rate.value), f"{why}; limit log f / v = {rate}"
    raise ValueError(f"growth of {expr} in {v} undecided: {why}; {res}; {rate}")


# ---- sample complexity ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SampleComplexity:
    """N at which ``expr`` equals the accuracy ``eps`` (polylog factors in N dropped and listed)."""

    expr: sp.Expr
    accuracy: sp.Expr
    exponent: sp.Expr  # f ~ K N^exponent
    dropped: tuple = ()
    method: str = "symbolic"


def sample_complexity(bound, *, eps=S.eps, n=S.N, assume=None) -> SampleComplexity:
    """Solve ``bound(N) = eps`` for N: f = K N^a polylog(N) gives N = (K / eps)^(-1/a), polylog(N) dropped.

    Assumptions (the Bound's own, ``assume`` and an enclosing :func:`schattheory.foundation.assumptions.assuming`)
    decide the signs on the way (the exponent a < 0, which factors are polylogarithmic in N)."""
    from dataclasses import replace as _replace

    from schattheory.foundation.assumptions import collect, reparametrise

    rep = reparametrise(collect(bound, assume), keep={n, eps})
    if rep:
        sc = sample_complexity(rep.apply(getattr(bound, "expr", bound)), eps=eps, n=n, assume=())
        return _replace(
            sc,
            expr=rep.restore(sc.expr),
            exponent=rep.restore(sc.exponent),
            dropped=tuple(rep.restore(x) for x in sc.dropped),
        )
    expr = sp.sympify(getattr(bound, "expr", bound))
    logf = sp.expand_log(sp.log(expr), force=True)
    a, rest, dropped = sp.Integer(0), [], []
    for t in sp.Add.make_args(logf):
        if n not in t.free_symbols:
            rest.append(t)
            continue
        coeff, core = t.as_independent(n, as_Add=False)
        if core == sp.log(n):
            a += coeff
            continue
        stripped: list = []
        try:
            g = _growth_of(sp.exp(t), n, stripped)
        except _Undecided:
            g = None
        if g is not None and not isinstance(g, Exponential) and g == 0:
            dropped.append(t)
            continue
        raise ValueError(f"sample_complexity: the dependence on {n} is not K N^a polylog(N) (term {t})")
    if not (a.is_negative):
        raise ValueError(f"sample_complexity: the bound does not decrease in {n} (exponent {a})")
    K = sp.Add(*rest)
    sol = sp.exp((sp.log(eps) - K) / a)
    sol = sp.powsimp(sp.expand_power_base(sp.simplify(sol), force=True), force=True)
    return SampleComplexity(sp.simplify(sol), eps, a, tuple(dropped))


# ---- comparison -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    ratio: sp.Expr
    regime: dict
    growth: dict = field(default_factory=dict)
    evidence: str = ""


def compare(a, b, regime=None, variables=(S.W, S.L, S.r), *, assume=None) -> Comparison:
    """The ratio a / b after the regime's substitutions (e.g. {r: 1}, {r: sqrt(W)}), with its growth exponents
    (decided under both Bounds' assumptions, ``assume`` and an enclosing
    :func:`schattheory.foundation.assumptions.assuming`)."""
    from schattheory.foundation.assumptions import collect

    rels = tuple(dict.fromkeys(collect(a, assume) + tuple(getattr(b, "assumptions", ()) or ())))
    a = sp.sympify(getattr(a, "expr", a))
    b = sp.sympify(getattr(b, "expr", b))
    regime = {sp.sympify(k): sp.sympify(v) for k, v in dict(regime or {}).items()}
    ratio = sp.simplify(sp.powsimp((a / b).subs(regime), force=True))
    free = [v for v in variables if v in ratio.free_symbols]
    rels = tuple(x for x in rels if not (x.free_symbols & set(regime)))
    g = growth(ratio, free, numeric=False, assume=rels) if free else {}
    under = f"; assuming {', '.join(map(sp.sstr, rels))}" if rels else ""
    return Comparison(ratio, regime, dict(g), f"ratio {sp.sstr(ratio)} under {regime or 'no substitution'}{under}")


# ---- named worst-case substitutions ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Substitution:
    """A named inequality used to put a bound on square W x W layers, with a numeric check on a matrix."""

    name: str
    statement: str
    why: str

    def check(self, A) -> tuple:
        """(left, right) of the inequality at the matrix A (numpy, torch orientation (out, in))."""
        import numpy as np

        A = np.asarray(A, dtype=float)
        sv = np.linalg.svd(A, compute_uv=False)
        spec, fro = float(sv[0]), float(np.sqrt(np.sum(sv**2)))
        n21 = float(np.sum(np.linalg.norm(A, axis=1)))
        rank = int(np.linalg.matrix_rank(A))
        W = max(A.shape)
        return {
            "norm21_le_sqrtW_frobenius": (n21, math.sqrt(A.shape[0]) * fro),
            "norm21_le_W_spectral": (n21, W * spec),
            "frobenius_le_sqrt_rank_spectral": (fro**2, rank * spec**2),
            "rank_proxy_le_rank": (float(np.sum((sv[sv > 0] / spec) ** 2)), rank),
        }[self.name]


SUBSTITUTIONS = {
    s_.name: s_
    for s_ in (
        Substitution(
            "norm21_le_sqrtW_frobenius",
            "||A^T||_{2,1} <= sqrt(W) ||A||_F",
            "Cauchy-Schwarz over the W output units (rows)",
        ),
        Substitution(
            "norm21_le_W_spectral",
            "||A^T||_{2,1} <= sqrt(W) ||A||_F <= W ||A||_sigma",
            "the previous step and ||A||_F <= sqrt(W) ||A||_sigma for a W x W matrix",
        ),
        Substitution(
            "frobenius_le_sqrt_rank_spectral",
            "||A||_F^2 <= rank(A) ||A||_sigma^2",
            "at most rank(A) nonzero singular values, each <= sigma_1",
        ),
        Substitution(
            "rank_proxy_le_rank",
            "r(p) = sum_i (sigma_i/sigma_1)^p <= rank(A) (checked at p = 2)",
            "each nonzero term is <= 1",
        ),
    )
}


# ---- the sample-complexity table ---------------------------------------------------------------------------------
#: (key, label, form getter, how the Schatten exponent is treated)
#: The Schatten rows are given once per p; :func:`sample_complexity_table` splits each by the W_l convention
#: (``W_l = 1`` / ``W_l = w_l``) wherever the two give different sample complexities, and says "either W_l" where
#: they agree (p -> 0+, where W_l^(p/(p+2)) -> 1).
TABLE_ROWS = (
    ("ledent2025.fc.dominant", "Schatten bound, p -> 0+", ("ledent", "fc", 0)),
    ("ledent2025.fc.dominant", "Schatten bound, p = 1", ("ledent", "fc", 1)),
    ("ledent2025.fc.dominant", "Schatten bound, p = 2", ("ledent", "fc", 2)),
    ("ledent2025.fc.dominant", "Schatten bound, p -> oo", ("ledent", "fc", sp.oo)),
    ("bartlett2017.dominant", "spectral (Bartlett et al. 2017)", ("bartlett2017", "dominant")),
    ("neyshabur2018.dominant", "PAC-Bayes (Neyshabur et al. 2018)", ("neyshabur2018", "dominant")),
    ("golowich2018.dominant", "Frobenius (Golowich et al. 2018)", ("golowich2018", "dominant")),
    ("counting.dominant", "parameter counting (dominant)", ("counting", "dominant")),
    ("counting.graf2022.rademacher", "parameter counting (Graf et al. 2022)", ("counting", "rademacher")),
    ("vc.bhlm2019.dominant", "VC dimension (BHLM 2019)", ("vc", "dominant")),
    ("pinto2024.dominant", "low-rank (Pinto et al. 2024), C_1 = 1", ("pinto2024", "dominant")),
)


def _square_expr(spec):
    """(square-network closed form with norms normalised (X = 1), substitutions used)."""
    import importlib

    from schattheory.bounds import family as fam

    if spec[0] == "ledent":
        from schattheory.bounds import ledent2025

        expr, used = ledent2025.FORMS[(spec[1], "dominant")].square()
        point = spec[2]
        if point == 0 or point is sp.oo:
            res = timed_limit(expr, S.p, point, timeout=20)
            if res.method != "symbolic":
                raise ValueError(f"limit p -> {point} of the square form not symbolic: {res}")
            expr = res.value
            used = used + (f"limit p -> {'0+' if point == 0 else 'oo'} taken symbolically",)
        else:
            expr = expr.subs(S.p, point)
    else:
        module = importlib.import_module(f"schattheory.bounds.{spec[0]}")
        form = {"rademacher": getattr(module, "RADEMACHER", None)}.get(spec[1]) or module.FORMS[spec[1]]
        expr, used = form.square()
    expr = expr.subs({S.X: 1, fam.C1: 1, fam.gamma: 1})
    return expr, used + ("norms normalised: X = B prod_l ||A_l|| / gamma = 1",)


def _exploits(growths_at_r, expr) -> bool:
    """r-exponent nonzero and, at r = 1, a smaller W-exponent than at r = W."""
    gr = growths_at_r.get(S.r, 0)
    if gr == 0:
        return False
    g1 = growth(expr.subs(S.r, 1), [S.W], numeric=False)[S.W]
    gW = growth(expr.subs(S.r, S.W), [S.W], numeric=False)[S.W]
    try:
        return (
            bool(_max_growth(gW, g1) == gW and sp.simplify(gW - g1) != 0) if not isinstance(gW, Exponential) else True
        )
    except _Undecided:
        return True


_CONVENTIONS = (
    ("fc", "ledent2025.fc.dominant", "W_l = 1"),
    ("fc_wl_width", "ledent2025.fc_wl_width.dominant", "W_l = w_l"),
)


def _split_by_convention(rows):
    """Each Schatten row once per W_l convention where the conventions' sample complexities differ (computed),
    once with "either W_l" where they agree; other rows unchanged."""
    for key, label, spec in rows:
        if spec[0] != "ledent" or spec[1] != "fc":
            yield key, label, spec
            continue
        variants = [(k, f"{label}, {text}", ("ledent", conv, spec[2])) for conv, k, text in _CONVENTIONS]
        a, b = (sample_complexity(_square_expr(v[2])[0]).expr for v in variants)
        if sp.simplify(a - b) == 0:
            yield key, f"{label} (either W_l convention)", spec
        else:
            yield from variants


def sample_complexity_table(eps=S.eps) -> list[dict]:
    """One row per comparator: sample complexity on L square W x W layers of rank r, norms normalised; computed."""
    rows = []
    for key, label, spec in _split_by_convention(TABLE_ROWS):
        expr, used = _square_expr(spec)
        sc = sample_complexity(expr, eps=eps)
        g = growth(sc.expr, [S.W, S.L, S.r], numeric=False)
        rows.append(
            {
                "key": key,
                "label": label,
                "sample_complexity": sc.expr,
                "growth": {"W": g[S.W], "L": g[S.L], "r": g[S.r]},
                "exploits_low_rank": _exploits(g, sc.expr),
                "depth_exponent": g[S.L],
                "substitutions": used,
                "dropped_polylogs": sc.dropped,
                "stripped": {str(k_): tuple(map(sp.sstr, v)) for k_, v in g.stripped.items() if v},
            }
        )
    return rows
