r"""PAC-Bayes bounds: McAllester's square-root form and the Seeger/Maurer kl form with a certified kl-inverse.

For a posterior Q and a prior P fixed before the data, a loss in [0, 1], N samples, with probability >= 1 - delta:

- McAllester (2003) [R]: E_Q L <= \hat E_Q L + sqrt((KL(Q||P) + ln(1/delta) + ln N + 2) / (2N - 1)).
- Maurer (2004), refining the ln((N+1)/delta) of Seeger (2002) [R]:
  kl(\hat E_Q L || E_Q L) <= (KL(Q||P) + ln(2 sqrt(N) / delta)) / N  (N >= 8),
  with kl(q||p) = q ln(q/p) + (1 - q) ln((1 - q)/(1 - p)). The bound on E_Q L is the kl-inverse
  kl^{-1}(q, c) = max {p in [q, 1] : kl(q||p) <= c}, computed by :func:`kl_inverse`: bisection in mpmath, which
  returns the upper end of a bracket [lo, hi] with kl(q||lo) <= c < kl(q||hi) (so the answer never undershoots the
  true inverse) of width below 10^-(dps-5). Pinsker's inequality gives kl^{-1}(q, c) <= q + sqrt(c/2).

>>> import mpmath
>>> mpmath.nstr(kl_inverse(0.1, 0.05), 10)
'0.2200786011'
>>> float(seeger_maurer(0.05, 5000, 60000, 0.025)) < float(get_mcallester(0.05, 5000, 60000, 0.025))
True

Reference: McAllester (2003), Thm 1; Seeger (2002), Thm 1; Maurer (2004), Thm 5; SOURCES.md [C7.2].
"""

from __future__ import annotations

import mpmath
import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation import symbols as S
from schattheory.foundation.errors import InputError, check_dps
from schattheory.foundation.provenance import Provenance, cite
from schattheory.numerics.backends import scoped_dps, to_mpf

__all__ = ["kl", "kl_inverse", "seeger_maurer", "get_mcallester", "emp", "KL"]

emp = sp.Symbol("Lhat", nonnegative=True)  # empirical Gibbs loss \hat E_Q L in [0, 1]
KL = sp.Symbol("KL", nonnegative=True)  # KL(Q || P)
q_, p_ = sp.symbols("q_kl p_kl", positive=True)

_MCA = emp + sp.sqrt((KL + sp.log(1 / S.delta) + sp.log(S.N) + 2) / (2 * S.N - 1))
_SM_RHS = (KL + sp.log(2 * sp.sqrt(S.N) / S.delta)) / S.N
KL_EXPR = q_ * sp.log(q_ / p_) + (1 - q_) * sp.log((1 - q_) / (1 - p_))

register(
    Bound(
        "pac_bayes.mcallester",
        expr=_MCA,
        params=(emp, KL, S.delta, S.N),
        mode="explicit",
        lhs=r"\mathbb{E}_Q L",
        assumptions=(sp.Lt(S.delta, 1), sp.Le(emp, 1)),
        provenance=Provenance("classical", (cite("mcallester2003", "Thm 1"),), note="Constants recalled [R]."),
        example={emp: sp.Rational(1, 20), KL: 5000, S.delta: sp.Rational(1, 40), S.N: 60000},
        limits=(
            Limit(
                KL,
                0,
                emp + sp.sqrt((sp.log(1 / S.delta) + sp.log(S.N) + 2) / (2 * S.N - 1)),
                "the bound with the posterior equal to the prior (KL = 0)",
            ),
        ),
        title="E_Q L <= Lhat + sqrt((KL + ln(1/delta) + ln N + 2)/(2N - 1))",
    )
)
register(
    Bound(
        "pac_bayes.seeger_maurer",
        expr=_SM_RHS,
        params=(KL, S.delta, S.N),
        mode="explicit",
        lhs=r"\mathrm{kl}(\hat{\mathbb{E}}_Q L \,\|\, \mathbb{E}_Q L)",
        assumptions=(sp.Lt(S.delta, 1), sp.Ge(S.N, 8)),
        provenance=Provenance(
            "classical",
            (
                cite("maurer2004", "Thm 5 (the ln(2 sqrt(N)/delta) term, N >= 8)"),
                cite("seeger2002", "Thm 1 (the kl form, with ln((N+1)/delta))"),
            ),
            note="Maurer (2004) is the source of ln(2 sqrt(N)/delta); Seeger's kl bound has "
            "ln((N+1)/delta). Constants recalled [R]; the bound on E_Q L is kl^{-1}(Lhat, rhs), "
            "see kl_inverse().",
        ),
        example={KL: 5000, S.delta: sp.Rational(1, 40), S.N: 60000},
        limits=(Limit(S.N, sp.oo, 0, "the kl budget"),),
        title="kl(Lhat || E_Q L) <= (KL + ln(2 sqrt(N)/delta)) / N",
    )
)


def kl(q, p, dps: int = 50):
    """Binary relative entropy kl(q||p) at ``dps`` digits (0 ln 0 = 0; +inf when p is 0 or 1 and q is not)."""
    with scoped_dps(dps):
        q, p = to_mpf(q, "q"), to_mpf(p, "p")
        out = mpmath.mpf(0)
        if q > 0:
            out += mpmath.inf if p == 0 else q * mpmath.log(q / p)
        if q < 1:
            out += mpmath.inf if p == 1 else (1 - q) * mpmath.log((1 - q) / (1 - p))
        return +out


def kl_inverse(q, c, dps: int = 50):
    """The largest p in [q, 1] with kl(q||p) <= c, certified from above by bisection at ``dps`` digits."""
    dps = check_dps(dps)
    with scoped_dps(dps + 10):
        q, c = to_mpf(q, "q"), to_mpf(c, "c")
        if not 0 <= q <= 1:
            raise InputError("q", q, "must lie in [0, 1] (an empirical loss)")
        if c < 0 or mpmath.isnan(c):
            raise InputError("c", c, "must be >= 0")
        if q == 1:
            return mpmath.mpf(1)
        lo, hi = q, mpmath.mpf(1)  # kl(q||lo) = 0 <= c; kl(q||1) = inf > c
        tol = mpmath.mpf(10) ** (-(dps - 5))
        while hi - lo > tol:
            mid = (lo + hi) / 2
            if kl(q, mid, dps + 10) <= c:
                lo = mid
            else:
                hi = mid
        return +hi


def seeger_maurer(emp_loss, kl_qp, n, delta, dps: int = 50):
    """The Seeger/Maurer bound on E_Q L: kl^{-1}(Lhat, (KL + ln(2 sqrt(N)/delta))/N)."""
    if int(n) < 8:
        raise InputError("n", n, "Maurer's bound needs N >= 8")
    from schattheory.core.registry import get

    rhs = get("pac_bayes.seeger_maurer").evaluate({KL: kl_qp, S.delta: delta, S.N: n}, dps=dps + 10)
    return kl_inverse(emp_loss, rhs, dps)


def get_mcallester(emp_loss, kl_qp, n, delta, dps: int = 50):
    """McAllester's bound on E_Q L at the given numbers."""
    from schattheory.core.registry import get

    return get("pac_bayes.mcallester").evaluate({emp: emp_loss, KL: kl_qp, S.delta: delta, S.N: n}, dps=dps)
