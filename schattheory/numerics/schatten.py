r"""The Schatten quasi-norm, symbolically.

``SchattenNorm(A, p)`` is a SymPy function of a matrix symbol and an exponent, with the special values
``p = oo`` (spectral norm), ``p = 2`` (Frobenius) and ``p = 1`` (nuclear), and LaTeX ``\|A\|_{S_p}``.
The *spectrum form* writes the same quantities over positive symbols sigma_1 >= ... >= sigma_k, on which
limits can be taken exactly.

>>> import sympy as sp
>>> from schattheory.foundation.symbols import A, p
>>> SchattenNorm(A, sp.oo), SchattenNorm(A, 2), SchattenNorm(A, 1)
(SpectralNorm(A), FrobeniusNorm(A), NuclearNorm(A))
>>> sp.latex(SchattenNorm(A, p))
'\\left\\|A\\right\\|_{S_{p}}'
>>> sp.latex(SchattenNorm(A, p) ** p)
'\\left\\|A\\right\\|_{S_{p}}^{p}'
"""

from __future__ import annotations

import sympy as sp

from schattheory.foundation.errors import InputError
from schattheory.foundation.symbols import spectrum

__all__ = [
    "SpectralFunction",
    "SchattenNorm",
    "SpectralNorm",
    "FrobeniusNorm",
    "NuclearNorm",
    "SingularValue",
    "TailSchattenNorm",
    "MatrixRank",
    "RankProxy",
    "schatten_sum_form",
    "schatten_norm_form",
    "rank_proxy_form",
    "spectral_values",
    "limit_sum_at_zero",
    "limit_norm_at_infinity",
    "limit_norm_at_zero",
    "limit_rank_proxy",
]


def _norm_latex(printer, A, sub):
    return r"\left\|%s\right\|_{%s}" % (printer._print(A), sub)


class SpectralFunction(sp.Function):
    """A function of a matrix's singular values; ``spectral_value(sig, *rest)`` evaluates it numerically."""

    is_extended_real = True

    @classmethod
    def spectral_value(cls, sig, *rest):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _latex(self, printer, exp=None):
        # SymPy's printer passes exp= when the function is raised to a power (||A||_{S_p}^p)
        body = self._latex_base(printer)
        return body if exp is None else r"%s^{%s}" % (body, exp)

    def _eval_is_nonnegative(self):
        return True


class SchattenNorm(SpectralFunction):
    r"""||A||_{S_p} = (sum_i sigma_i(A)^p)^{1/p}, a norm for p >= 1 and a quasi-norm for 0 < p < 1."""

    nargs = 2

    @classmethod
    def eval(cls, A, p):
        if p is sp.oo:
            return SpectralNorm(A)
        if p == 2:
            return FrobeniusNorm(A)
        if p == 1:
            return NuclearNorm(A)
        if p.is_number and (p.is_nonpositive or p is sp.nan):
            raise InputError("p", p, "must be > 0 (Schatten exponents live in (0, oo])")
        if p.is_nonpositive:
            raise InputError("p", p, "must be > 0 (Schatten exponents live in (0, oo])")
        return None

    def _latex_base(self, printer):
        return _norm_latex(printer, self.args[0], "S_{%s}" % printer._print(self.args[1]))

    @classmethod
    def spectral_value(cls, sig, p):
        import mpmath

        from schattheory.numerics.stable import log_schatten_norm

        return mpmath.exp(log_schatten_norm(sig, p))


class SpectralNorm(SpectralFunction):
    nargs = 1

    def _latex_base(self, printer):
        return _norm_latex(printer, self.args[0], r"\sigma")

    @classmethod
    def spectral_value(cls, sig):
        return max(sig)


class FrobeniusNorm(SpectralFunction):
    nargs = 1

    def _latex_base(self, printer):
        return _norm_latex(printer, self.args[0], "F")

    @classmethod
    def spectral_value(cls, sig):
        from schattheory.numerics.stable import schatten_norm

        return schatten_norm(sig, 2)


class NuclearNorm(SpectralFunction):
    nargs = 1

    def _latex_base(self, printer):
        return _norm_latex(printer, self.args[0], "*")

    @classmethod
    def spectral_value(cls, sig):
        from schattheory.numerics.stable import schatten_norm

        return schatten_norm(sig, 1)


class SingularValue(SpectralFunction):
    """sigma_i(A), the i-th largest singular value (1-based; 0 beyond the rank)."""

    nargs = 2

    def _latex_base(self, printer):
        return r"\sigma_{%s}\left(%s\right)" % (printer._print(self.args[1]), printer._print(self.args[0]))

    @classmethod
    def spectral_value(cls, sig, i):
        import mpmath

        i = int(i)
        if i < 1:
            raise InputError("i", i, "singular values are numbered from 1")
        return sig[i - 1] if i <= len(sig) else mpmath.mpf(0)


class TailSchattenNorm(SpectralFunction):
    """||A - A_r||_{S_q} = (sum_{i>r} sigma_i^q)^{1/q}, A_r the best rank-r approximation."""

    nargs = 3

    def _latex_base(self, printer):
        A, rr, qq = (printer._print(x) for x in self.args)
        return r"\left\|%s - %s_{%s}\right\|_{S_{%s}}" % (A, A, rr, qq)

    @classmethod
    def spectral_value(cls, sig, r, q):
        import mpmath

        tail = list(sig[int(r) :])
        if not tail or max(tail) == 0:
            return mpmath.mpf(0)
        if mpmath.isinf(q):
            return max(tail)
        from schattheory.numerics.stable import schatten_norm

        return schatten_norm(tail, q)


class MatrixRank(SpectralFunction):
    """rank(A): the number of nonzero singular values of the given spectrum.

    The count is exact, like the power sums it is compared with: a statement such as
    ``sum_i sigma_i^p <= rank(A) sigma_1^p`` is only true when both sides count the same singular values. (A rank
    with a tolerance, for float matrices, is ``schattheory.numerics.matrix.schatten_sum(A, 0)``.)
    """

    nargs = 1
    is_integer = True

    def _latex_base(self, printer):
        return r"\operatorname{rank}\left(%s\right)" % printer._print(self.args[0])

    @classmethod
    def spectral_value(cls, sig):
        import mpmath

        return mpmath.mpf(sum(1 for x in sig if x != 0))


class RankProxy(SpectralFunction):
    """r(p) = sum_i (sigma_i/sigma_1)^p = ||A||_{S_p}^p / ||A||_sigma^p, in [1, rank(A)]."""

    nargs = 2

    def _latex_base(self, printer):
        return r"r_{%s}\left(%s\right)" % (printer._print(self.args[1]), printer._print(self.args[0]))

    @classmethod
    def spectral_value(cls, sig, p):
        from schattheory.numerics.stable import rank_proxy

        return rank_proxy(sig, p)


def spectral_values(expr, spectra: dict, values: dict | None = None, dps: int = 50):
    """Replace every spectral function of a matrix in ``spectra`` (matrix symbol -> singular values) by its value.

    Singular values are taken as exact (converted to mpf at ``dps``); other arguments come from ``values``.
    The result is a SymPy expression with the spectral functions replaced by Floats carrying ``dps`` digits.
    """
    import mpmath

    from schattheory.numerics.backends import to_mpf

    # exact substitutions: a float is the binary rational it stands for (sympify would make it a 15-digit Float,
    # and an exponent like p1 p2/(p1 + p2) would then carry a relative error of 1e-16, amplified by 1/p)
    values = {k: _exact(v) for k, v in (values or {}).items()}

    def repl(e):
        if not isinstance(e, SpectralFunction):
            return e
        mat = e.args[0]
        if mat not in spectra:
            return e
        name = str(mat)  # once: printing a matrix product costs more than converting its spectrum
        with mpmath.workdps(dps + 10):
            sig = [to_mpf(x, name) for x in spectra[mat]]
            sig.sort(reverse=True)
            rest = []
            for arg in e.args[1:]:
                arg = sp.sympify(arg).subs(values)
                if not arg.is_number:
                    raise InputError(str(arg), arg, f"needs a value to evaluate {e}")
                rest.append(to_mpf(arg, str(arg)))
            val = e.spectral_value(sig, *rest)
            return sp.Float(mpmath.nstr(mpmath.mpf(val), dps + 5), dps + 5)

    return sp.sympify(expr).replace(lambda e: isinstance(e, SpectralFunction), repl)


def _exact(v):
    import mpmath
    import numpy as np

    if isinstance(v, (bool, np.bool_)):
        return v
    if isinstance(v, (float, np.floating)):
        return sp.Rational(float(v))
    if isinstance(v, (int, np.integer)):
        return sp.Integer(int(v))
    if isinstance(v, str):
        return sp.Rational(v)
    if isinstance(v, mpmath.mpf):
        return sp.Float(v, mpmath.mp.dps + 10)
    return v


# ---- spectrum forms ---------------------------------------------------------------------------------------------


def schatten_sum_form(sig, p):
    """sum_i sigma_i^p over the given symbols."""
    return sp.Add(*[x**p for x in sig])


def schatten_norm_form(sig, p):
    """(sum_i sigma_i^p)^(1/p)."""
    return schatten_sum_form(sig, p) ** (1 / p)


def rank_proxy_form(sig, p):
    """sum_i (sigma_i/sigma_1)^p."""
    return sp.Add(*[(x / sig[0]) ** p for x in sig])


def decay_form(count: int, p):
    """The normalised spectrum form sum_i (sigma_i/sigma_1)^p written with sigma_i/sigma_1 = exp(-u_i), u_i > 0.

    Returns (expr, u-symbols). This is the form on which SymPy's limit at p -> oo succeeds; ties (u_i = 0)
    contribute a constant 1 each and change nothing below.
    """
    us = tuple(sp.Symbol(f"u_{i}", positive=True) for i in range(2, count + 1))
    return sp.Add(sp.Integer(1), *[sp.exp(-u * p) for u in us]), us


def limit_sum_at_zero(count: int, timeout=20.0):
    """sum_{i<=k} sigma_i^p -> k as p -> 0+ (exact, SymPy)."""
    from schattheory.foundation.symbols import p
    from schattheory.numerics.limits import timed_limit

    return timed_limit(schatten_sum_form(spectrum(count), p), p, 0, "+", timeout=timeout)


def limit_norm_at_zero(count: int, timeout=20.0):
    """(sum sigma_i^p)^(1/p) -> oo as p -> 0+ once k >= 2 (for k = 1 it is sigma_1)."""
    from schattheory.foundation.symbols import p
    from schattheory.numerics.limits import timed_limit

    return timed_limit(schatten_norm_form(spectrum(count), p), p, 0, "+", timeout=timeout)


def limit_norm_at_infinity(count: int, timeout=20.0):
    """(sum sigma_i^p)^(1/p) -> sigma_1 as p -> oo, taken on sigma_1 * (decay form)^(1/p).

    The raw form makes SymPy fail ("depends on the sign of log(a)"). Normalised by sigma_1, SymPy takes the limit of
    the rank proxy sum_i (sigma_i/sigma_1)^p exactly (its (1/p)-th power alone hangs SymPy for k >= 3), and a finite
    positive limit raised to 1/p -> 0 tends to 1.

    >>> limit_norm_at_infinity(3).value
    sigma_1
    """
    from schattheory.foundation.symbols import p
    from schattheory.numerics.limits import LimitResult, timed_limit

    sig = spectrum(count)
    form, _ = decay_form(count, p)
    # SymPy's limit of form**(1/p) hangs for k >= 3 (gruntz cannot order the exp(-u_i p)); the limit of the form
    # itself (the rank proxy) succeeds, and x**(1/p) -> 1 for every finite x > 0 as 1/p -> 0.
    proxy = timed_limit(form, p, sp.oo, "-", timeout=timeout)
    if proxy.method == "symbolic" and proxy.value.is_positive and proxy.value.is_finite:
        return LimitResult(
            sig[0] * proxy.value**0,
            "symbolic",
            f"sympy.limit of the normalised form sum_i (sigma_i/sigma_1)^p -> {proxy.value}, "
            "and x^(1/p) -> 1 for finite x > 0",
        )
    return timed_limit(sig[0] * form ** (1 / p), p, sp.oo, "-", timeout=timeout)


def limit_rank_proxy(count: int, point, timeout=20.0):
    """r(p) -> k as p -> 0+, and -> 1 (the multiplicity of a strict maximum) as p -> oo."""
    from schattheory.foundation.symbols import p
    from schattheory.numerics.limits import timed_limit

    form, _ = decay_form(count, p)
    return timed_limit(form, p, point, timeout=timeout)
