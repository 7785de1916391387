r"""Classical facts about Schatten quasi-norms, stated on a matrix symbol A (m x d).

Each statement is a registered :class:`~schattheory.bound.Bound` whose left- and right-hand sides are spectral
functions (:mod:`schattheory.schatten`), so the tests can evaluate both sides on any concrete spectrum.

>>> from schattheory.registry import get
>>> import numpy as np
>>> get("schatten.monotonicity").holds_at({"A": np.diag([3.0, 1.0]), "p": 0.5, "q": 2})
True
"""
from __future__ import annotations

import sympy as sp

from ..bound import Bound, Limit
from ..provenance import Provenance, cite
from ..registry import register
from ..schatten import (MatrixRank, SchattenNorm, SingularValue, SpectralNorm, TailSchattenNorm,
                        rank_proxy_form, schatten_norm_form, schatten_sum_form)
from ..symbols import A, j, p, q, spectrum, spectrum_order

_BHATIA = Provenance("classical", (cite("bhatia1997", "Ch. IV (unitarily invariant norms)"),))
_SIG3 = spectrum(3)
_EX3 = {_SIG3[0]: 3, _SIG3[1]: 2, _SIG3[2]: sp.Rational(1, 2)}

# ---- the definition on a spectrum (k = 3), with its limits --------------------------------------------------
register(Bound(
    "schatten.power_sum", kind="definition", relation="==", lhs=r"\sum_i \sigma_i^p",
    expr=schatten_sum_form(_SIG3, p), params=(p,) + _SIG3, provenance=_BHATIA,
    assumptions=spectrum_order(_SIG3), example={p: 1, **_EX3},
    title="sum_i sigma_i^p on a spectrum of k = 3 singular values",
    limits=(Limit(p, 0, 3, "sum_i sigma_i^p (tends to the rank k = 3)"),),
))
register(Bound(
    "schatten.norm", kind="definition", relation="==", lhs=SchattenNorm(A, p),
    expr=schatten_norm_form(_SIG3, p), params=(p,) + _SIG3, provenance=_BHATIA,
    assumptions=spectrum_order(_SIG3), example={p: 1, **_EX3},
    title="||A||_{S_p} = (sum_i sigma_i^p)^(1/p) on k = 3 singular values",
    limits=(Limit(p, sp.oo, _SIG3[0], "||A||_{S_p} (tends to the spectral norm sigma_1)"),
            Limit(p, 0, sp.oo, "||A||_{S_p} (diverges once k >= 2)")),
))
register(Bound(
    "schatten.rank_proxy", kind="definition", relation="==", lhs=r"\sum_i (\sigma_i/\sigma_1)^p",
    expr=rank_proxy_form(_SIG3, p), params=(p,) + _SIG3, provenance=_BHATIA,
    assumptions=spectrum_order(_SIG3) + (sp.Gt(_SIG3[0], _SIG3[1]),), example={p: 1, **_EX3},
    title="rank proxy sum_i (sigma_i/sigma_1)^p, in [1, k], non-increasing in p",
    limits=(Limit(p, 0, 3, "rank proxy (tends to the rank)"),
            Limit(p, sp.oo, 1, "rank proxy (tends to the multiplicity of sigma_1, here 1)")),
))

# ---- inequalities --------------------------------------------------------------------------------------------
register(Bound(
    "schatten.monotonicity", kind="lemma", lhs=SchattenNorm(A, q), expr=SchattenNorm(A, p), params=(A, p, q),
    assumptions=(sp.Le(p, q),), provenance=_BHATIA, example={p: sp.Rational(1, 2), q: 2},
    title="||A||_{S_q} <= ||A||_{S_p} for 0 < p <= q",
))
register(Bound(
    "schatten.rank_comparison", kind="lemma", lhs=SchattenNorm(A, p),
    expr=MatrixRank(A) ** (1 / p - 1 / q) * SchattenNorm(A, q), params=(A, p, q),
    assumptions=(sp.Le(p, q),), provenance=_BHATIA, example={p: sp.Rational(1, 2), q: 2},
    title="||A||_{S_p} <= rank(A)^(1/p - 1/q) ||A||_{S_q} for 0 < p <= q (Hoelder on the singular values)",
))
register(Bound(
    "schatten.stechkin_sigma", kind="lemma", lhs=SingularValue(A, j + 1),
    expr=(j + 1) ** (-1 / p) * SchattenNorm(A, p), params=(A, p, j),
    provenance=Provenance("classical", (cite("foucart_rauhut2013", "Prop. 2.3 (vectors), via singular values"),)),
    example={p: sp.Rational(1, 2), j: 1},
    title="sigma_{j+1} <= (j+1)^(-1/p) ||A||_{S_p}, since (j+1) sigma_{j+1}^p <= sum_i sigma_i^p",
))
register(Bound(
    "schatten.spectral_le_schatten", kind="lemma", lhs=SpectralNorm(A), expr=SchattenNorm(A, p), params=(A, p),
    provenance=_BHATIA, example={p: sp.Rational(1, 2)}, title="||A||_sigma <= ||A||_{S_p}",
))
