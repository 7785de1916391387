r"""Arora, Ge, Neyshabur, Zhang (ICML 2018): the compression bound (Theorem 2.1).

If f is (gamma, S)-compressible into a net g_A whose q parameters each take at most r_v discrete values (helper
string fixed before the data), then with probability >= 1 - delta the compressed net satisfies

.. math:: L_0(g_A) \le \hat L_\gamma(f) + \sqrt{\frac{q \ln r_v + \ln(1/\delta)}{2N}}

(explicit form: Hoeffding for one classifier plus a union bound over the r_v^q possible parameter vectors; the
paper states O(sqrt(q ln r_v / N)), so the constant here is ours [D], not the paper's). The bound is on the
**compressed** net g_A, not on f. Dominant form: sqrt(q ln r_v / N). By hand: q = 10^4 parameters, r_v = 16
levels, N = 5 * 10^4, delta = 1/100: sqrt((10^4 ln 16 + ln 100) / 10^5) = 0.5266...

>>> from schattheory.core.registry import get
>>> round(float(get("arora2018.explicit").evaluate({"q_params": 10**4, "r_levels": 16, "N": 5 * 10**4,
...                                                 "delta": 0.01})), 4)
0.5266

Reference: Arora, Ge, Neyshabur, Zhang (2018), Theorem 2.1; SOURCES.md section 4.
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation import symbols as S
from schattheory.foundation.provenance import Provenance, cite

q_params = sp.Symbol("q_params", positive=True, integer=True)
r_levels = sp.Symbol("r_levels", positive=True, integer=True)

_EX = {q_params: 10000, r_levels: 16, S.N: 50000, S.delta: sp.Rational(1, 100)}
register(
    Bound(
        "arora2018.explicit",
        expr=sp.sqrt((q_params * sp.log(r_levels) + sp.log(1 / S.delta)) / (2 * S.N)),
        params=(q_params, r_levels, S.N, S.delta),
        mode="explicit",
        lhs=r"L_0(g_A) - \hat L_\gamma(f)",
        assumptions=(sp.Lt(S.delta, 1), sp.Ge(r_levels, 2)),
        provenance=Provenance(
            "derived",
            (cite("arora2018", "Thm 2.1 (O-form); constant via Hoeffding + union bound"),),
            note="Explicit constant derived here (SOURCES.md [C4], [D]); not the paper's constant.",
            proof="Hoeffding's inequality for each of the r^q quantised networks, union bound over them",
        ),
        example=_EX,
        limits=(
            Limit(
                S.N,
                sp.oo,
                (q_params * sp.log(r_levels) + sp.log(1 / S.delta)) / 2,
                "N x bound^2 (exact for every N)",
                of=S.N * sp.sqrt((q_params * sp.log(r_levels) + sp.log(1 / S.delta)) / (2 * S.N)) ** 2,
            ),
        ),
        title="compression bound sqrt((q ln r + ln(1/delta)) / (2N)) on the compressed net",
    )
)
register(
    Bound(
        "arora2018.dominant",
        expr=sp.sqrt(q_params * sp.log(r_levels) / S.N),
        params=(q_params, r_levels, S.N),
        mode="dominant",
        lhs=r"L_0(g_A) - \hat L_\gamma(f)",
        provenance=Provenance("classical", (cite("arora2018", "Thm 2.1"),)),
        example={k: v for k, v in _EX.items() if k is not S.delta},
        limits=(
            Limit(
                S.N,
                sp.oo,
                q_params * sp.log(r_levels),
                "N x bound^2 (exact for every N)",
                of=S.N * sp.sqrt(q_params * sp.log(r_levels) / S.N) ** 2,
            ),
        ),
        title="compression bound O(sqrt(q ln r / N)), dominant term",
    )
)
