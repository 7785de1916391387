r"""The per-layer mixed cover behind the paper's exponents (paper-notes 4.5). STATUS: RECONSTRUCTED.

Nothing here is the target paper's own statement: the paper's text was not available, and this is the argument
reconstructed in paper-notes 4.5 to match the exponents of the transcribed Theorem 3.6. Layer l, truncation rank j:

1. truncate A_l - M_l at rank j; the tail has relative spectral norm
   :math:`\sigma_{j+1}/\|A_l\| \le (\rho/(j+1))^{1/p}`, with :math:`\rho = r_l(p) = \|A_l-M_l\|_{S_p}^p/\|A_l\|^p`
   the rank proxy (classical: :math:`(j+1)\sigma_{j+1}^p\le\sum_i\sigma_i^p`);
2. parametric part: the rank-j matrices, :math:`\ln N \lesssim a j` with :math:`a = U_l + d_{l-1} + 1`
   (Candès-Plan exponent; the log factor ln(9R/eps) is dropped, so this is the *dominant* form);
3. norm-based part (reconstructed; caveat C1 of paper-notes): the tail class costs
   :math:`\ln N \lesssim \Omega\,(X\sigma_{j+1}/\|A_l\|)^2/\varepsilon^2` with
   :math:`X = B\prod_i\rho_i\|A_i\|/\gamma` (the margin-normalised amplification of the whole network; a
   perturbation E of layer l moves the output by at most :math:`X\|E\|/\|A_l\|`) and
   :math:`\Omega = W_l` the spatial multiplicity. (paper-notes 4.5 defines X with an extra division by
   :math:`\|A_l\|`; with the relative tail in step 3 that would divide twice, and its own final formula uses the
   full product, as here.)

Registered: ``covering.mixed_layer.split`` (the bound for every j, before balancing) and ``covering.mixed_layer``
(after minimising over j with ``balancing.integer``, by the derivation engine):

.. math:: \ln N_l(\varepsilon) \lesssim c_p\, a^{2/(p+2)}\,(\Omega X^2\rho^{2/p})^{p/(p+2)}\,\varepsilon^{-2p/(p+2)}.

>>> from schattheory.registry import get
>>> get("covering.mixed_layer").status.value
'reconstructed'
"""
from __future__ import annotations

import sympy as sp

from ..bound import Bound, Limit
from ..derivation import OptimiseRank, UseLemma, derive
from .balancing import c_p
from ..provenance import Provenance, cite
from ..registry import register
from ..symbols import Omega, X, a, eps, j, p, rho

__all__ = ["split_form", "KEYS", "EXAMPLE"]

KEYS = ("covering.mixed_layer.split", "covering.mixed_layer")
EXAMPLE = {a: 201, Omega: 1, X: 3, rho: 4, p: sp.Rational(1, 2), eps: sp.Rational(1, 10)}
_REC = (cite("ledent2025", "per-layer exponents of Thm 3.6 (via the third-party transcription S2)"),
        cite("candes_plan2011", "Lemma 3.1 (parametric part)"),
        cite("foucart_rauhut2013", "Prop. 2.3 (tail)"))
_NOTE = ("RECONSTRUCTED (paper-notes 4.5), not the paper's lemma: the norm-based tail step is a guess consistent "
         "with the transcribed exponents; log factors dropped (dominant form); a = U + d + 1")


def split_form():
    """a j + Omega X^2 (rho/(j+1))^(2/p) / eps^2: the mixed cover at truncation rank j (dominant form)."""
    return a * j + Omega * X ** 2 * (rho / (j + 1)) ** (2 / p) / eps ** 2


_LHS = r"\ln\mathcal{N}(\mathcal{F}_\ell,\varepsilon)\ \text{(dominant, logs dropped)}"
register(Bound(
    "covering.mixed_layer.split", kind="lemma", lhs=_LHS, expr=split_form(),
    params=(a, j, Omega, X, rho, p, eps), assumptions=(sp.Ge(rho, 1),), mode="dominant",
    provenance=Provenance("reconstructed", _REC, note=_NOTE), example={**EXAMPLE, j: 3},
    title="per-layer mixed cover at truncation rank j: parametric a j + norm-based Omega X^2 (rho/(j+1))^(2/p)/eps^2",
    notes=_NOTE,
))
_DER = derive("covering.mixed_layer", [
    UseLemma("covering.mixed_layer.split"),
    OptimiseRank(j, p, shifted=True, note="the best integer truncation rank j = floor(r*)"),
], example=EXAMPLE)
_BAL = c_p(p) * sp.expand_power_base(sp.simplify(_DER.expr / c_p(p)), force=True)  # c_p times plain powers
register(Bound(
    "covering.mixed_layer", kind="lemma", lhs=_LHS, expr=_BAL, params=(a, Omega, X, rho, p, eps),
    assumptions=(sp.Ge(rho, 1),), mode="dominant",
    provenance=Provenance("reconstructed", _REC, note=_NOTE + "; balanced over j by balancing.integer",
                          derived_from=_DER.uses()),
    example=EXAMPLE, derivation=_DER,
    title="per-layer mixed cover, balanced over the rank: c_p a^(2/(p+2)) (Omega X^2 rho^(2/p))^(p/(p+2)) "
          "eps^(-2p/(p+2))",
    notes=_NOTE,
    limits=(Limit(p, 0, a * rho, "the log-covering bound (tends to the parametric count a * rho; rho -> rank)"),
            Limit(p, sp.oo, Omega * X ** 2 / eps ** 2, "the log-covering bound (tends to the norm-based term)")),
))
