r"""Ledent, Alves, Lei (NeurIPS 2025): the Schatten-p bound for rank-sparse networks (Theorems 3.6 and 3.7).

**Status.** The formulas are *transcribed* from a third-party reproduction script (S2 in the reference notes) that
quotes Theorem 3.6 (CNN bound) and Theorem 3.7 (loss augmentation); the paper's own text was not available. The
placement of the margin gamma is *reconstructed* (S2 never divides by gamma); the explicit mode is *reconstructed*
here from the mixed cover behind the exponents. None of this is the paper's own statement.

**Dominant form** (constants and logs dropped, as in the paper's comparison figure). Fully-connected layers,
M_l = 0, widths w_0..w_L, N samples, B = max input l2 norm, gamma = margin, s_l = ||A_l||_sigma:

.. math::

    \mathrm{gap} \approx \sqrt{\tfrac{L}{N}\textstyle\sum_{l=1}^L C_l(p_l)},\qquad
    C_l(p) = \Big(\tfrac{B\prod_i s_i}{\gamma}\Big)^{\frac{2p}{p+2}} r_l(p)^{\frac{2}{p+2}}
             (w_l + w_{l-1})^{\frac{2}{p+2}}\, W_l^{\frac{p}{p+2}},

with the rank proxy r_l(p) = sum_i (sigma_i(A_l) / s_l)^p and W_l = 1 (the fully-connected convention of S2's
code; the alternative W_l = w_l, which makes the p -> oo limit carry a width factor, is the ``wl_width`` form; paper
notes caveat C1). For a convolutional layer (Theorem 3.6) w_l + w_{l-1} becomes U_l + d_{l-1} (output channels plus
patch dimension) and W_l the number of spatial positions. By hand: with B = 10, gamma = 1/2, one dense layer of
widths (16, 16), spectral norm 3/2 (so X = 30) and r(p) = 2 at p = 1/2,
C = 30^(2/5) * 2^(4/5) * 32^(4/5) = 108.59... and the bound (L = 1) is sqrt(C / N).

**Loss-augmented form (Theorem 3.7, simplified as in S2):** B prod_i s_i in layer l's summand becomes
B_{l-1,A} prod_{i >= l} s_i, with B_{l-1,A} the largest patch norm of the activations entering layer l.

**Explicit mode [reconstructed].** Per layer, a mixed cover (rank-r part by Candès and Plan plus a norm-based tail,
balanced over r) gives log N_l(eps) <= c_p Lambda C_l(p) (3/2)^(2/(p+2)) (2 L / eps)^(2p/(p+2)) at output scale eps
(the 2 is the margin operator's Lipschitz constant, the L the split eps_l = eps / L, 3/2 bounds U + d + 1 by
(3/2)(U + d)); Dudley's integral from alpha = 1/N (integrand eps^(-p/(p+2)), integral (p+2)/2) and Cauchy-Schwarz
over the layers, then the margin lemma (Bartlett et al. 2017, Lemma 3.1) and a union bound over the p-grid give

.. math::

    \mathrm{gap} \le \frac8N + 2\sqrt{\Lambda\,\frac LN \sum_l \kappa(p_l, L)\, C_l(p_l)}
      + 3\sqrt{\frac{\ln(1/\delta) + L \ln G}{2N}},\qquad
    \kappa(p, L) = 36 (p+2)^2 c_p (2L)^{\frac{2p}{p+2}} (3/2)^{\frac{2}{p+2}},

c_p = (1 + p/2)(2/p)^(p/(p+2)) (the balancing constant), Lambda = ln(18 h^2 N (1 + 2X)) (Maurey's ln(2 h^2) plus
Candès-Plan's ln(9 t / eps) at eps >= 1/N, h the largest width), G the number of grid values each p_l ranges over
(G = 1 for a p fixed in advance). The norms enter as a-priori constraints evaluated at the observed values (the
union over norm and margin grids is not charged). These constants are ours, not the paper's.

>>> from schattheory.registry import get
>>> round(float(get("ledent2025.per_layer").evaluate({"p": 0.5, "X": 30, "rho": 2, "a": 32, "Omega": 1})), 2)
108.59
>>> b = get("ledent2025.square.dominant")
>>> b.limit("p", 0).value
sqrt(2)*L*sqrt(W)*sqrt(r)/sqrt(N)

Reference: Ledent, Alves, Lei (2025), Theorems 3.6 and 3.7, via the reproduction script of Figure D.3 (S2);
paper-notes sections 4.1 to 4.5.
"""
from __future__ import annotations

import sympy as sp

from .. import symbols as S
from ..bound import Bound, Limit
from ..provenance import Provenance, cite
from ..registry import register
from . import family as fam
from .family import Aggregate, NetworkForm

__all__ = ["SUMMAND", "C_P", "KAPPA", "LAMBDA", "FORMS", "SQUARE", "form", "summand"]

p, X, rho, a, Omega = S.p, S.X, S.rho, S.a, S.Omega
N, L, delta = S.N, S.L, S.delta
Ssum = sp.Symbol("S", positive=True)   # sum over layers of the per-layer complexities

#: C(p) = X^(2p/(p+2)) rho^(2/(p+2)) a^(2/(p+2)) Omega^(p/(p+2)); a = U_l + d_{l-1}, X = B prod s / gamma
SUMMAND = X ** (2 * p / (p + 2)) * rho ** (2 / (p + 2)) * a ** (2 / (p + 2)) * Omega ** (p / (p + 2))
#: the balancing constant c_p = (1 + p/2) (2/p)^(p/(p+2)) of min_r a r + b r^(-2/p)
C_P = (1 + p / 2) * (2 / p) ** (p / (p + 2))
#: the explicit per-layer factor (reconstructed)
KAPPA = 36 * (p + 2) ** 2 * C_P * (2 * L) ** (2 * p / (p + 2)) * sp.Rational(3, 2) ** (2 / (p + 2))
#: the log factor of the explicit mode (reconstructed)
LAMBDA = sp.log(18 * fam.h ** 2 * N * (1 + 2 * X))

_TERM = SUMMAND.subs(a, fam.U + fam.d)
_OUTER_DOM = sp.sqrt(L * Ssum / N)
_OUTER_EXP = 8 / N + 2 * sp.sqrt(LAMBDA * L * Ssum / N) + 3 * sp.sqrt((sp.log(1 / delta) + L * sp.log(fam.G)) / (2 * N))

_S2 = cite("ledent2025", "Thm 3.6, via the reproduction script of Fig. D.3 (S2); paper-notes 4.1, 4.3")
_MARGIN_NOTE = ("Transcribed from a third-party rendering (S2), not checked against the paper; the margin "
                "placement (B prod s / gamma)^(2p/(p+2)) is reconstructed (S2's code never divides by gamma).")
_EXPLICIT_NOTE = ("Reconstructed here (mixed cover + Dudley from 1/N + Cauchy-Schwarz over layers + margin lemma + "
                  "union bound over a grid of G values per layer); the paper's constants and logs are unknown.")

_CONVENTIONS = {
    "fc": ({fam.Omega: 1}, True, "W_l = 1 for dense layers (S2's code)"),
    "fc_wl_width": ({fam.Omega: fam.U}, True, "W_l = w_l, the layer's output width (paper-notes caveat C1)"),
    "cnn": ({}, False, "W_l = number of spatial positions, free"),
    "cnn_wl_width": ({fam.Omega: fam.Omega * fam.U}, False, "W_l = spatial positions times output channels"),
}


def form(variant: str = "fc", mode: str = "dominant") -> NetworkForm:
    """The NetworkForm of one variant (fc, fc_wl_width, cnn, cnn_wl_width, loss_augmented) and mode."""
    if variant == "loss_augmented":
        if mode != "dominant":
            raise ValueError("loss_augmented: only the dominant form is encoded (S2's Theorem 3.7 is simplified)")
        term = _TERM.subs(X, fam.Xl)
        return NetworkForm("ledent2025.loss_augmented.dominant", "ledent2025.loss_augmented", "dominant",
                           (Aggregate(Ssum, term),), _OUTER_DOM, {}, ("n", "margin", "activation_norms"),
                           uses_p=True, dense=False)
    conv, dense, _ = _CONVENTIONS[variant]
    term = _TERM if mode == "dominant" else KAPPA * _TERM
    outer = _OUTER_DOM if mode == "dominant" else _OUTER_EXP
    family = "ledent2025.wl_width" if variant.endswith("wl_width") else "ledent2025"
    return NetworkForm(f"ledent2025.{variant}.{mode}", family, mode, (Aggregate(Ssum, term),), outer, conv,
                       ("n", "input_norm", "margin"), uses_p=True, dense=dense)


def summand(variant: str = "fc", mode: str = "dominant") -> sp.Expr:
    """The per-layer term of a variant in the generic layer symbols (see :mod:`schattheory.bounds.family`)."""
    return form(variant, mode).terms()[0].term


FORMS = {(v, m): form(v, m) for v in _CONVENTIONS for m in ("dominant", "explicit")}
FORMS[("loss_augmented", "dominant")] = form("loss_augmented")

# ---- registration ----------------------------------------------------------------------------------------------
register(Bound(
    "ledent2025.per_layer", kind="definition", relation="==", lhs=r"\mathcal{C}_\ell(p)", expr=SUMMAND,
    params=(p, X, rho, a, Omega), example={p: sp.Rational(1, 2), X: 3, rho: 2, a: 32, Omega: 1},
    provenance=Provenance("transcribed", (_S2,), note=_MARGIN_NOTE),
    title="per-layer complexity C(p) = X^(2p/(p+2)) rho^(2/(p+2)) a^(2/(p+2)) Omega^(p/(p+2)); "
          "X = B prod s / gamma, rho = r_l(p), a = U_l + d_{l-1}, Omega = W_l",
    limits=(Limit(p, 0, rho * a, "C(p) at a fixed rank proxy (rho -> rank as p -> 0+, so C -> rank (U + d))"),
            Limit(p, sp.oo, X ** 2 * Omega, "C(p) (the norm-based complexity X^2 W_l)")),
    notes="Weighted geometric mean of the parametric count rho*a (weight 2/(p+2)) and the norm count X^2 Omega "
          "(weight p/(p+2)); at p = 2 it is X sqrt(rho a Omega).",
))
register(Bound(
    "ledent2025.explicit_factor", kind="definition", relation="==", lhs=r"\kappa(p, L)", expr=KAPPA,
    params=(p, L), example={p: sp.Rational(1, 2), L: 3},
    provenance=Provenance("reconstructed", (cite("ledent2025", "explicit constants: not in the sources"),
                                            cite("bartlett2017", "Lemma A.5 (Dudley), Lemma 3.1")),
                          note=_EXPLICIT_NOTE),
    title="kappa(p, L) = 36 (p+2)^2 c_p (2L)^(2p/(p+2)) (3/2)^(2/(p+2)), the explicit per-layer factor",
    limits=(Limit(p, 0, 216, "kappa(p, L) (36 * 4 * c_0 * (3/2), c_0 = 1)"),
            Limit(p, sp.oo, sp.oo, "kappa(p, L) (the Dudley constant (p+2)/2 grows with p)")),
))

_DEPTH = 3
_P1 = S.layer("p", 1)


def _limits_for(fm: NetworkForm, expr_pp):
    """Declared p -> 0+ and p -> oo limits of an expanded form with every p_l equal to p_1 (the summand's limits,
    aggregated); the limit variable is the parameter p_1."""
    conv = fm.conventions
    if fm.mode == "dominant":
        zero = NetworkForm("", "", "", (Aggregate(Ssum, rho * (fam.U + fam.d)),), fm.outer, conv, dense=fm.dense)
        xsym = fam.Xl if "loss_augmented" in fm.key else X
        inf = NetworkForm("", "", "", (Aggregate(Ssum, xsym ** 2 * fam.Omega),), fm.outer, conv, dense=fm.dense)
        return (Limit(_P1, 0, zero.expand(_DEPTH, per_layer_p=False),
                      "the bound with all p_l = p_1 and rank proxies rho_l held fixed (rho_l -> rank_l as p -> 0+)",
                      of=expr_pp),
                Limit(_P1, sp.oo, inf.expand(_DEPTH, per_layer_p=False),
                      "the bound with all p_l = p_1 (norm-based limit)", of=expr_pp))
    zero = NetworkForm("", "", "", (Aggregate(Ssum, 216 * rho * (fam.U + fam.d)),), fm.outer, conv, dense=fm.dense)
    # (as p -> oo the explicit bound diverges with kappa(p, L), declared on ledent2025.explicit_factor)
    return (Limit(_P1, 0, zero.expand(_DEPTH, per_layer_p=False),
                  "the explicit bound with all p_l = p_1, rank proxies held fixed (kappa -> 216)", of=expr_pp),)


def _register_form(fm: NetworkForm, title: str, convention: str):
    expr = fm.expand(_DEPTH)
    expr_pp = fm.expand(_DEPTH).subs({S.layer("p", l): _P1 for l in range(2, _DEPTH + 1)})
    pls = [S.layer("p", l) for l in range(1, _DEPTH + 1)]
    params = fam.ordered_params(expr, first=pls)
    explicit = fm.mode == "explicit"
    status = "reconstructed" if explicit else "transcribed"
    note = _EXPLICIT_NOTE if explicit else _MARGIN_NOTE
    cites = (_S2,) if "loss" not in fm.key else (cite("ledent2025", "Thm 3.7, via S2 (simplified: no "
                                                                   "activation-ratio terms); paper-notes 4.2"),)
    if explicit:
        cites = (cite("ledent2025", "Thm 3.6 summand via S2; explicit constants reconstructed here"),
                 cite("candes_plan2011", "Lemma 3.1 (low-rank cover)"),
                 cite("bartlett2017", "Lemma 3.1 (margin bound), Lemma A.5 (Dudley)"))
    assumptions = (sp.Lt(delta, 1), sp.Ge(N, 2)) if explicit else ()
    register(Bound(
        fm.key, expr=expr, params=params, mode=fm.mode, lhs=r"\Pr[\text{error}] - \hat R_\gamma",
        provenance=Provenance(status, cites, note=note), assumptions=assumptions,
        example=fam.example_values(params), limits=_limits_for(fm, expr_pp),
        title=f"{title} (L = {_DEPTH}, per-layer p_l; convention: {convention})",
        notes="Per-layer quantities enter through the per-layer summand ledent2025.per_layer; networks of any depth "
              "are evaluated by schattheory.bounds.network from the same summand.",
    ))


for (variant, mode), fm in FORMS.items():
    what = {"fc": "fully-connected", "fc_wl_width": "fully-connected, W_l = w_l", "cnn": "CNN (Theorem 3.6)",
            "cnn_wl_width": "CNN, W_l = positions x channels",
            "loss_augmented": "loss-augmented CNN (Theorem 3.7, simplified)"}[variant]
    conv = _CONVENTIONS[variant][2] if variant in _CONVENTIONS else "W_l = spatial positions, free"
    _register_form(fm, f"{what}, {mode} form", conv)

# ---- square network closed forms ---------------------------------------------------------------------------------
SQUARE = {}
for variant, omega in (("fc", 1), ("fc_wl_width", S.W)):
    expr, used = FORMS[(variant, "dominant")].square()
    SQUARE[variant] = (expr, used)
    key = "ledent2025.square.dominant" if variant == "fc" else "ledent2025.square_wl_width.dominant"
    register(Bound(
        key, expr=expr, params=(p, S.W, S.r, L, N, X), mode="dominant",
        lhs=r"\Pr[\text{error}] - \hat R_\gamma",
        provenance=Provenance("transcribed", (_S2,), note=_MARGIN_NOTE),
        example={p: sp.Rational(1, 2), S.W: 64, S.r: 4, L: 4, N: 10000, X: 3},
        title=f"L square W x W layers whose nonzero singular values are equal (rank r, so r_l(p) = r); "
              f"X = B prod s / gamma; W_l = {omega}",
        limits=(Limit(p, 0, L * sp.sqrt(2 * S.W * S.r / N), "the bound (sample complexity 2 W r L^2)"),
                Limit(p, sp.oo, L * X * sp.sqrt(sp.sympify(omega) / N),
                      f"the bound (norm-based; sample complexity L^2 X^2 {omega})")),
        notes="Substitutions: " + "; ".join(used),
    ))
