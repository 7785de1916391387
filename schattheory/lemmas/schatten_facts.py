r"""Classical facts about Schatten quasi-norms, stated on a matrix symbol A (m x d).

Each statement is a registered :class:`~schattheory.core.bound.Bound` whose left- and right-hand sides are spectral
functions (:mod:`schattheory.numerics.schatten`), so the tests can evaluate both sides on any concrete spectrum.

>>> from schattheory.core.registry import get
>>> import numpy as np
>>> get("schatten.monotonicity").holds_at({"A": np.diag([3.0, 1.0]), "p": 0.5, "q": 2})
True

Statements about two matrices (``A + B``, ``A C``) are evaluated on the matrices themselves; here the quasi-triangle
constant 2^(1/p-1) is attained (both sides equal 2^(1/p) = 4):

>>> lemma = get("schatten.quasi_triangle")
>>> [float(lemma.evaluate({"A": np.diag([1.0, 0.0]), "B": np.diag([0.0, 1.0]), "p": 0.5}, side=s))
...  for s in ("lhs", "rhs")]
[4.0, 4.0]
"""

from __future__ import annotations

import sympy as sp

from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.symbols import A, Bm, C, L, j, p, p1, p2, q, spectrum, spectrum_order
from schattheory.numerics.schatten import (
    MatrixRank,
    SchattenNorm,
    SingularValue,
    SpectralNorm,
    TailSchattenNorm,
    rank_proxy_form,
    schatten_norm_form,
    schatten_sum_form,
)

_BHATIA = Provenance("classical", (cite("bhatia1997", "Ch. IV (unitarily invariant norms)"),))
_SIG3 = spectrum(3)
_EX3 = {_SIG3[0]: 3, _SIG3[1]: 2, _SIG3[2]: sp.Rational(1, 2)}

# ---- the definition on a spectrum (k = 3), with its limits --------------------------------------------------
register(
    Bound(
        "schatten.power_sum",
        kind="definition",
        relation="==",
        lhs=r"\sum_i \sigma_i^p",
        expr=schatten_sum_form(_SIG3, p),
        params=(p,) + _SIG3,
        provenance=_BHATIA,
        assumptions=spectrum_order(_SIG3),
        example={p: 1, **_EX3},
        title="sum_i sigma_i^p on a spectrum of k = 3 singular values",
        limits=(Limit(p, 0, 3, "sum_i sigma_i^p (tends to the rank k = 3)"),),
    )
)
register(
    Bound(
        "schatten.norm",
        kind="definition",
        relation="==",
        lhs=SchattenNorm(A, p),
        expr=schatten_norm_form(_SIG3, p),
        params=(p,) + _SIG3,
        provenance=_BHATIA,
        assumptions=spectrum_order(_SIG3),
        example={p: 1, **_EX3},
        title="||A||_{S_p} = (sum_i sigma_i^p)^(1/p) on k = 3 singular values",
        limits=(
            Limit(p, sp.oo, _SIG3[0], "||A||_{S_p} (tends to the spectral norm sigma_1)"),
            Limit(p, 0, sp.oo, "||A||_{S_p} (diverges once k >= 2)"),
        ),
    )
)
register(
    Bound(
        "schatten.rank_proxy",
        kind="definition",
        relation="==",
        lhs=r"\sum_i (\sigma_i/\sigma_1)^p",
        expr=rank_proxy_form(_SIG3, p),
        params=(p,) + _SIG3,
        provenance=_BHATIA,
        assumptions=spectrum_order(_SIG3) + (sp.Gt(_SIG3[0], _SIG3[1]),),
        example={p: 1, **_EX3},
        title="rank proxy sum_i (sigma_i/sigma_1)^p, in [1, k], non-increasing in p",
        limits=(
            Limit(p, 0, 3, "rank proxy (tends to the rank)"),
            Limit(p, sp.oo, 1, "rank proxy (tends to the multiplicity of sigma_1, here 1)"),
        ),
    )
)

# ---- inequalities --------------------------------------------------------------------------------------------
register(
    Bound(
        "schatten.monotonicity",
        kind="lemma",
        lhs=SchattenNorm(A, q),
        expr=SchattenNorm(A, p),
        params=(A, p, q),
        assumptions=(sp.Le(p, q),),
        provenance=_BHATIA,
        example={p: sp.Rational(1, 2), q: 2},
        title="||A||_{S_q} <= ||A||_{S_p} for 0 < p <= q",
    )
)
register(
    Bound(
        "schatten.rank_comparison",
        kind="lemma",
        lhs=SchattenNorm(A, p),
        expr=MatrixRank(A) ** (1 / p - 1 / q) * SchattenNorm(A, q),
        params=(A, p, q),
        assumptions=(sp.Le(p, q),),
        provenance=_BHATIA,
        example={p: sp.Rational(1, 2), q: 2},
        title="||A||_{S_p} <= rank(A)^(1/p - 1/q) ||A||_{S_q} for 0 < p <= q (Hoelder on the singular values)",
    )
)
register(
    Bound(
        "schatten.stechkin_sigma",
        kind="lemma",
        lhs=SingularValue(A, j + 1),
        expr=(j + 1) ** (-1 / p) * SchattenNorm(A, p),
        params=(A, p, j),
        provenance=Provenance("classical", (cite("foucart_rauhut2013", "Prop. 2.3 (vectors), via singular values"),)),
        example={p: sp.Rational(1, 2), j: 1},
        title="sigma_{j+1} <= (j+1)^(-1/p) ||A||_{S_p}, since (j+1) sigma_{j+1}^p <= sum_i sigma_i^p",
    )
)
register(
    Bound(
        "schatten.spectral_le_schatten",
        kind="lemma",
        lhs=SpectralNorm(A),
        expr=SchattenNorm(A, p),
        params=(A, p),
        provenance=_BHATIA,
        example={p: sp.Rational(1, 2)},
        title="||A||_sigma <= ||A||_{S_p}",
    )
)

# ---- sums of matrices: quasi-triangle and p-subadditivity (B is m x d, like A) --------------------------------
_ROTFELD = Provenance(
    "classical",
    (
        cite(
            "mccarthy1967",
            "p-triangle inequality of c_p for 0 < p < 1 (recalled; locator not checked against the text)",
        ),
        cite("bhatia1997", "Ch. IV, Rotfel'd's inequality for the concave f(t) = t^p (recalled)"),
    ),
    note="sum_i f(sigma_i(A+B)) <= sum_i f(sigma_i(A)) + sum_i f(sigma_i(B)) for concave f >= 0 with f(0) = 0",
)
register(
    Bound(
        "schatten.p_subadditivity",
        kind="lemma",
        lhs=SchattenNorm(A + Bm, p) ** p,
        expr=SchattenNorm(A, p) ** p + SchattenNorm(Bm, p) ** p,
        params=(A, Bm, p),
        assumptions=(sp.Le(p, 1),),
        provenance=_ROTFELD,
        example={p: sp.Rational(1, 2)},
        title="||A+B||_{S_p}^p <= ||A||_{S_p}^p + ||B||_{S_p}^p for 0 < p <= 1",
        limits=(
            Limit(
                p,
                0,
                MatrixRank(A) + MatrixRank(Bm),
                "||A||_{S_p}^p + ||B||_{S_p}^p (tends to rank A + rank B: at p -> 0+ the lemma is rank subadditivity)",
            ),
        ),
    )
)
_QT = 2 ** (1 / p - 1)
register(
    Bound(
        "schatten.quasi_triangle",
        kind="lemma",
        lhs=SchattenNorm(A + Bm, p),
        expr=_QT * (SchattenNorm(A, p) + SchattenNorm(Bm, p)),
        params=(A, Bm, p),
        assumptions=(sp.Le(p, 1),),
        provenance=_ROTFELD,
        example={p: sp.Rational(1, 2)},
        title="||A+B||_{S_p} <= 2^(1/p-1) (||A||_{S_p} + ||B||_{S_p}) for 0 < p <= 1",
        notes="From p-subadditivity and the power-mean inequality (x^p + y^p)^(1/p) <= 2^(1/p-1) (x + y); "
        "the constant is attained by A, B with orthogonal row and column spaces and equal norms.",
        limits=(
            Limit(
                p,
                1,
                1,
                "the quasi-triangle constant 2^(1/p-1) (tends to 1: the triangle inequality at p = 1)",
                of=_QT,
                direction="-",
            ),
            Limit(p, 0, sp.oo, "the quasi-triangle constant 2^(1/p-1) (blows up as p -> 0+)", of=_QT),
        ),
    )
)

# ---- rank sandwich ---------------------------------------------------------------------------------------------
_SANDWICH = Provenance(
    "classical",
    (cite("bhatia1997", "Ch. IV (unitarily invariant norms)"),),
    note="sigma_1^p <= sum_i sigma_i^p <= rank(A) sigma_1^p, term by term",
)
register(
    Bound(
        "schatten.rank_sandwich_lower",
        kind="lemma",
        lhs=SpectralNorm(A) ** p,
        expr=SchattenNorm(A, p) ** p,
        params=(A, p),
        provenance=_SANDWICH,
        example={p: sp.Rational(1, 2)},
        title="||A||_sigma^p <= ||A||_{S_p}^p (lower half of the rank sandwich)",
        limits=(Limit(p, 0, MatrixRank(A), "||A||_{S_p}^p = sum_i sigma_i^p (tends to rank(A))"),),
    )
)
register(
    Bound(
        "schatten.rank_sandwich_upper",
        kind="lemma",
        lhs=SchattenNorm(A, p) ** p,
        expr=MatrixRank(A) * SpectralNorm(A) ** p,
        params=(A, p),
        provenance=_SANDWICH,
        example={p: sp.Rational(1, 2)},
        title="||A||_{S_p}^p <= rank(A) ||A||_sigma^p (upper half of the rank sandwich)",
        limits=(
            Limit(p, 0, MatrixRank(A), "rank(A) ||A||_sigma^p (tends to rank(A): the sandwich closes at p -> 0+)"),
        ),
    )
)

# ---- Stechkin tails: best rank-j approximation error --------------------------------------------------------
#: the sharp Stechkin constant c_{p,q} = [(p/q)^(p/q) (1 - p/q)^(1 - p/q)]^(1/p) <= 1
STECHKIN_C = ((p / q) ** (p / q) * (1 - p / q) ** (1 - p / q)) ** (1 / p)
register(
    Bound(
        "schatten.stechkin_tail",
        kind="lemma",
        lhs=TailSchattenNorm(A, j, q),
        expr=j ** (1 / q - 1 / p) * SchattenNorm(A, p),
        params=(A, p, q, j),
        assumptions=(sp.Lt(p, q), sp.Ge(j, 1)),
        provenance=Provenance(
            "classical",
            (cite("foucart_rauhut2013", "Prop. 2.3 (vectors, constant 1)"),),
            note="applied to the singular values; A_j (truncated SVD) is the best rank-j approximation "
            "in every unitarily invariant quasi-norm (Eckart-Young-Mirsky)",
        ),
        example={p: sp.Rational(1, 2), q: 2, j: 1},
        title="||A - A_j||_{S_q} <= j^(1/q - 1/p) ||A||_{S_p} for 0 < p < q, j >= 1",
        limits=(
            Limit(
                q,
                sp.oo,
                j ** (-1 / p) * SchattenNorm(A, p),
                "the bound (tends to j^(-1/p) ||A||_{S_p}, a bound on sigma_{j+1} = ||A - A_j||_sigma)",
            ),
        ),
    )
)
register(
    Bound(
        "schatten.stechkin_tail_sharp",
        kind="lemma",
        lhs=TailSchattenNorm(A, j, q),
        expr=STECHKIN_C * j ** (1 / q - 1 / p) * SchattenNorm(A, p),
        params=(A, p, q, j),
        assumptions=(sp.Lt(p, q), sp.Ge(j, 1)),
        provenance=Provenance(
            "classical",
            (cite("foucart_rauhut2013", "Thm. 2.5 (vectors, sharp constant)"),),
            note="applied to the singular values; equality for sigma = (1, ..., 1) of length "
            "j (1 + p/(q-p)) when that is an integer",
        ),
        example={p: sp.Rational(1, 2), q: 2, j: 1},
        title="||A - A_j||_{S_q} <= c_{p,q} j^(1/q - 1/p) ||A||_{S_p}, c_{p,q} = [(p/q)^(p/q)(1-p/q)^(1-p/q)]^(1/p)",
        limits=(
            Limit(q, sp.oo, 1, "the sharp constant c_{p,q} (tends to 1 as q -> oo)", of=STECHKIN_C),
            Limit(p, 0, 0, "the sharp constant c_{p,q} (tends to 0 as p -> 0+)", of=STECHKIN_C),
        ),
    )
)

# ---- Schatten-Hoelder (C is d x m, so A*C is m x m) ------------------------------------------------------------
register(
    Bound(
        "schatten.hoelder",
        kind="lemma",
        lhs=SchattenNorm(A * C, p1 * p2 / (p1 + p2)),
        expr=SchattenNorm(A, p1) * SchattenNorm(C, p2),
        params=(A, C, p1, p2),
        provenance=Provenance(
            "classical",
            (
                cite(
                    "bhatia1997",
                    "Ch. IV, Hoelder inequality for Schatten norms; p < 1 via Horn's log-majorisation "
                    "of singular values of products, Ch. III (recalled; item numbers not checked)",
                ),
            ),
        ),
        example={p1: 1, p2: 2},
        title="||AC||_{S_p} <= ||A||_{S_p1} ||C||_{S_p2} with 1/p = 1/p1 + 1/p2 (all p1, p2 in (0, oo))",
        limits=(
            Limit(
                p2,
                sp.oo,
                SchattenNorm(A, p1) * SpectralNorm(C),
                "the bound (tends to ||A||_{S_p1} ||C||_sigma, with p -> p1)",
            ),
        ),
    )
)

# ---- weight decay and the S_{2/L} quasi-norm -----------------------------------------------------------------
register(
    Bound(
        "schatten.weight_decay",
        kind="identity",
        relation="==",
        lhs=r"\min_{W_L \cdots W_1 = A} \sum_{l=1}^{L} \|W_l\|_F^2",
        expr=L * SchattenNorm(A, 2 / L) ** (2 / L),
        params=(A, L),
        provenance=Provenance(
            "classical",
            (
                cite(
                    "dai2021",
                    "representation cost of depth-L fully connected linear networks (recalled; theorem number "
                    "not checked)",
                ),
                cite("srebro2004", "Lemma 1 (L = 2: the trace norm; recalled)"),
            ),
            note="inner widths >= rank(A); lower bound by Schatten-Hoelder and AM-GM, attained by the balanced SVD "
            "factorisation schattheory.lemmas.weight_decay.balanced_factorization(A, L)",
        ),
        example={L: 3},
        title="min over A = W_L ... W_1 of sum_l ||W_l||_F^2 equals L ||A||_{S_{2/L}}^{2/L}",
        limits=(
            Limit(L, sp.oo, sp.oo, "the minimal weight decay L ||A||_{S_{2/L}}^{2/L} (grows like L rank(A))"),
            Limit(
                L,
                sp.oo,
                MatrixRank(A),
                "the per-layer cost ||A||_{S_{2/L}}^{2/L} (tends to rank(A))",
                of=SchattenNorm(A, 2 / L) ** (2 / L),
            ),
        ),
    )
)
