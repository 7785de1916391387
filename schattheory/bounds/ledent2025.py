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

**Explicit mode [derived here; certified for dense ReLU networks with M_l = 0].** Not the paper's constants: a
bound proved in ``proofs/main_bound`` from the per-layer mixed cover ``covering.mixed_layer`` (Candès-Plan on a
rank-j part, Maurey on the tail's Frobenius norm, balanced over j), the layer induction of Bartlett et al. (proper
covers at twice the scale, scales eps/L per layer), the 2-Lipschitz margin operator, Dudley from alpha = 1/N and
Bartlett et al.'s Lemma 3.1. ReLU is positively homogeneous, so a network with margin gamma is, after rescaling its
layers, a network with margin 1, equal spectral norms and product t = P/gamma, and the same rank proxies: the union
bound runs over t in {1, 2, 4, ...} (weights 1/((k+1)(k+2))), over each rank proxy in {1, 2, 4, ...} (same weights)
and over a grid of G exponents per layer (weight G^-L); this charges the norm and margin grids. With
X = B P / gamma, a_l = U_l + d_{l-1} + 1, 0 < p_l < 2, every gamma > 0 and every network, with probability >= 1 - delta:

.. math::

    \mathrm{gap} \le \frac8N + \frac{24}{\sqrt N}\Big(\sqrt{L\textstyle\sum_l \frac{4\Lambda_lD_l}{(2-p_l)^2}}
      + \sqrt{\textstyle\sum_l \Lambda_l a_l + \ln(2d_{l-1}U_l)}\Big)
      + 3\sqrt{\frac{\ln\frac2\delta + \ln((\tau+2)(\tau+3)) + \sum_l\ln((\log_2\rho_l+2)(\log_2\rho_l+3))
      + L\ln G}{2N}},

    D_l = c^\ast_{p_l}\,a_l^{1-p_l/2}\,(2c_{p_l,2}K)^{p_l}\,U_l^{p_l/2}\,2\rho_l,\quad K = 4L(B + 2X),\quad
    \Lambda_l = \ln\big(1 + 12K(2\rho_l)^{1/p_l}N + 2d_{l-1}U_l\big),\quad \tau = \log_2(1 + X/B),

c*_p = (2/(2-p))((2-p)/p)^(p/2), c_{p,2} the sharp Stechkin constant, rho_l = r_l(p_l) the rank proxy. The first
release's explicit mode (kappa(p, L) C_l(p)) rested on a false per-layer cover and is withdrawn; there is no
certified explicit form for convolutional layers or for W_l = w_l, and those rows say "dominant form only".

>>> from schattheory.core.registry import get
>>> round(float(get("ledent2025.per_layer").evaluate({"p": 0.5, "X": 30, "rho": 2, "a": 32, "Omega": 1})), 2)
108.59
>>> b = get("ledent2025.square.dominant")
>>> b.limit("p", 0).value
sqrt(2)*L*sqrt(W)*sqrt(r)/sqrt(N)

Reference: Ledent, Alves, Lei (2025), Theorems 3.6 and 3.7, via the reproduction script of Figure D.3 (S2);
SOURCES.md sections 4.1 to 4.5.
"""

from __future__ import annotations

import sympy as sp

from schattheory.bounds import CERTIFIED, DOMINANT_ONLY
from schattheory.bounds import family as fam
from schattheory.bounds.family import Aggregate, NetworkForm
from schattheory.core.bound import Bound, Limit
from schattheory.core.registry import register
from schattheory.foundation import symbols as S
from schattheory.foundation.provenance import Provenance, cite
from schattheory.lemmas.balancing import c_p
from schattheory.lemmas.mixed_cover import c_star, stechkin_constant

__all__ = [
    "SUMMAND",
    "C_P",
    "LAMBDA",
    "D_TERM",
    "K_AMP",
    "FORMS",
    "SQUARE",
    "form",
    "summand",
    "CERTIFIED",
    "DOMINANT_ONLY",
]

p, X, rho, a, Omega = S.p, S.X, S.rho, S.a, S.Omega
N, L, delta = S.N, S.L, S.delta
Ssum = sp.Symbol("S", positive=True)  # sum over layers of the per-layer complexities

#: C(p) = X^(2p/(p+2)) rho^(2/(p+2)) a^(2/(p+2)) Omega^(p/(p+2)); a = U_l + d_{l-1}, X = B prod s / gamma
SUMMAND = X ** (2 * p / (p + 2)) * rho ** (2 / (p + 2)) * a ** (2 / (p + 2)) * Omega ** (p / (p + 2))
#: the balancing constant c_p = (1 + p/2) (2/p)^(p/(p+2)) of min_r a r + b r^(-2/p) (one home: lemmas.balancing)
C_P = c_p(p)
_TERM = SUMMAND.subs(a, fam.U + fam.d)
_OUTER_DOM = sp.sqrt(L * Ssum / N)

# ---- explicit mode: certified (proofs/main_bound), dense layers, 0 < p < 2 -------------------------------------
S1, S2, S3 = (sp.Symbol(f"S_{i}", positive=True) for i in (1, 2, 3))
#: K = 4 L (B + 2X): margin operator (2) x proper covers (2) x scales eps/L, with the product rounded up on its grid
K_AMP = 4 * L * (fam.B + 2 * X)
#: the rank proxy rounded up on its grid {1, 2, 4, ...}
RHO_HAT = 2 * rho
#: Lambda_l: both logarithms of the balanced per-layer cover at eps >= 1/N
LAMBDA = sp.log(1 + 12 * K_AMP * RHO_HAT ** (1 / p) * N + 2 * fam.d * fam.U)
#: D_l: the coefficient of eps^(-p) in the balanced per-layer cover of the rescaled network
D_TERM = (
    c_star(p)
    * (fam.U + fam.d + 1) ** (1 - p / 2)
    * (2 * stechkin_constant(p, 2) * K_AMP) ** p
    * fam.U ** (p / 2)
    * RHO_HAT
)
_EXP_TERMS = (
    Aggregate(S1, 4 * LAMBDA * D_TERM / (2 - p) ** 2),
    Aggregate(S2, LAMBDA * (fam.U + fam.d + 1) + sp.log(2 * fam.d * fam.U)),
    Aggregate(S3, sp.log((sp.log(rho, 2) + 2) * (sp.log(rho, 2) + 3))),
)
_TAU = sp.log(1 + X / fam.B, 2)
_OUTER_EXP = (
    8 / N
    + 24 / sp.sqrt(N) * (sp.sqrt(L * S1) + sp.sqrt(S2))
    + 3 * sp.sqrt((sp.log(2 / delta) + sp.log((_TAU + 2) * (_TAU + 3)) + S3 + L * sp.log(fam.G)) / (2 * N))
)

_S2 = cite("ledent2025", "Thm 3.6, via the reproduction script of Fig. D.3 (S2); SOURCES.md [P4.1], 4.3")
_MARGIN_NOTE = (
    "Transcribed from a third-party rendering (S2), not checked against the paper; the margin "
    "placement (B prod s / gamma)^(2p/(p+2)) is reconstructed (S2's code never divides by gamma)."
)
_EXPLICIT_NOTE = (
    "Derived here (proofs/main_bound): per-layer mixed cover covering.mixed_layer (Candès-Plan + Maurey "
    "on the tail's Frobenius norm), layer induction, Dudley from 1/N, Cauchy-Schwarz, margin lemma; "
    "union bound over the product/margin grid, the rank-proxy grids and G exponents per layer. Dense "
    "ReLU layers (positively homogeneous, sigma(0) = 0), no reference matrices, 0 < p_l < 2. Not the "
    "paper's constants (unknown); the first release's explicit form rested on a false cover."
)

_CONVENTIONS = {
    "fc": ({fam.Omega: 1}, True, "W_l = 1 for dense layers (S2's code)"),
    "fc_wl_width": ({fam.Omega: fam.U}, True, "W_l = w_l, the layer's output width (SOURCES.md caveat C1)"),
    "cnn": ({}, False, "W_l = number of spatial positions, free"),
    "cnn_wl_width": ({fam.Omega: fam.Omega * fam.U}, False, "W_l = spatial positions times output channels"),
}


def form(variant: str = "fc", mode: str = "dominant") -> NetworkForm:
    """The NetworkForm of one variant (fc, fc_wl_width, cnn, cnn_wl_width, loss_augmented) and mode."""
    if variant == "loss_augmented":
        if mode != "dominant":
            raise ValueError("loss_augmented: only the dominant form is encoded (S2's Theorem 3.7 is simplified)")
        term = _TERM.subs(X, fam.Xl)
        return NetworkForm(
            "ledent2025.loss_augmented.dominant",
            "ledent2025.loss_augmented",
            "dominant",
            (Aggregate(Ssum, term),),
            _OUTER_DOM,
            {},
            ("n", "margin", "activation_norms"),
            uses_p=True,
            dense=False,
        )
    conv, dense, _ = _CONVENTIONS[variant]
    family = "ledent2025.wl_width" if variant.endswith("wl_width") else "ledent2025"
    if mode == "explicit":
        if variant != "fc":
            raise ValueError(
                f"{variant}: no certified explicit form (the mixed cover is proved for dense layers "
                f"only): {DOMINANT_ONLY}"
            )
        return NetworkForm(
            "ledent2025.fc.explicit",
            family,
            mode,
            _EXP_TERMS,
            _OUTER_EXP,
            {},
            ("n", "input_norm", "margin"),
            uses_p=True,
            dense=True,
        )
    return NetworkForm(
        f"ledent2025.{variant}.{mode}",
        family,
        mode,
        (Aggregate(Ssum, _TERM),),
        _OUTER_DOM,
        conv,
        ("n", "input_norm", "margin"),
        uses_p=True,
        dense=dense,
    )


def summand(variant: str = "fc", mode: str = "dominant") -> sp.Expr:
    """The per-layer term of a variant in the generic layer symbols (see :mod:`schattheory.bounds.family`)."""
    return form(variant, mode).terms()[0].term


FORMS = {(v, "dominant"): form(v, "dominant") for v in _CONVENTIONS}
FORMS[("fc", "explicit")] = form("fc", "explicit")
FORMS[("loss_augmented", "dominant")] = form("loss_augmented")


def _real(conditions) -> tuple:
    """The conditions that the symbols' own assumptions (positive, integer) do not already decide: SymPy evaluates
    those (p > 0 for a positive p, N >= 1 for a positive integer N) to True, and they are enforced from the symbol."""
    return tuple(c for c in conditions if c is not sp.true)


# ---- registration ----------------------------------------------------------------------------------------------
register(
    Bound(
        "ledent2025.per_layer",
        kind="definition",
        relation="==",
        lhs=r"\mathcal{C}_\ell(p)",
        expr=SUMMAND,
        params=(p, X, rho, a, Omega),
        example={p: sp.Rational(1, 2), X: 3, rho: 2, a: 32, Omega: 1},
        assumptions=_real((sp.Gt(p, 0), sp.Gt(X, 0), sp.Ge(rho, 1), sp.Ge(a, 1), sp.Ge(Omega, 1))),
        provenance=Provenance("transcribed", (_S2,), note=_MARGIN_NOTE),
        title="per-layer complexity C(p) = X^(2p/(p+2)) rho^(2/(p+2)) a^(2/(p+2)) Omega^(p/(p+2)); "
        "X = B prod s / gamma, rho = r_l(p), a = U_l + d_{l-1}, Omega = W_l",
        limits=(
            Limit(p, 0, rho * a, "C(p) at a fixed rank proxy (rho -> rank as p -> 0+, so C -> rank (U + d))"),
            Limit(p, sp.oo, X**2 * Omega, "C(p) (the norm-based complexity X^2 W_l)"),
        ),
        notes="Weighted geometric mean of the parametric count rho*a (weight 2/(p+2)) and the norm count X^2 Omega "
        "(weight p/(p+2)); at p = 2 it is X sqrt(rho a Omega).",
    )
)
_DEPTH = 3
_P1 = S.layer("p", 1)


def _limits_for(fm: NetworkForm, expr_pp):
    """Declared p -> 0+ and p -> oo limits of an expanded form with every p_l equal to p_1 (the summand's limits,
    aggregated); the limit variable is the parameter p_1."""
    conv = fm.conventions
    if fm.mode == "dominant":
        zero = NetworkForm("", "", "", (Aggregate(Ssum, rho * (fam.U + fam.d)),), fm.outer, conv, dense=fm.dense)
        xsym = fam.Xl if "loss_augmented" in fm.key else X
        inf = NetworkForm("", "", "", (Aggregate(Ssum, xsym**2 * fam.Omega),), fm.outer, conv, dense=fm.dense)
        return (
            Limit(
                _P1,
                0,
                zero.expand(_DEPTH, per_layer_p=False),
                "the bound with all p_l = p_1 and rank proxies rho_l held fixed (rho_l -> rank_l as p -> 0+)",
                of=expr_pp,
            ),
            Limit(
                _P1,
                sp.oo,
                inf.expand(_DEPTH, per_layer_p=False),
                "the bound with all p_l = p_1 (norm-based limit)",
                of=expr_pp,
            ),
        )
    # explicit: Lambda_l grows like ln(2 rho_l)/p as p -> 0+ (the Candès-Plan radius is the S_p radius) and the
    # Dudley factor 4/(2-p)^2 diverges at p -> 2: no finite limit to declare
    return ()


def _assumptions(params, explicit: bool) -> tuple:
    """The real assumptions of a Ledent statement on its parameters: p > 0 (p < 2 in explicit mode), N >= 1
    (N >= 2 and 0 < delta < 1 in explicit mode), margin, norms and widths positive, widths >= 1, rank proxies >= 1."""
    out = []
    for sym in params:
        name = sym.name
        if name == "p" or name.startswith("p_"):
            out += [sp.Gt(sym, 0)] + ([sp.Lt(sym, 2)] if explicit else [])
        elif name == "N":
            out.append(sp.Ge(sym, 2 if explicit else 1))
        elif name == "delta":
            out += [sp.Gt(sym, 0), sp.Lt(sym, 1)]
        elif name in ("gamma", "B", "X", "X_F") or name.startswith(("s_", "B_A")):
            out.append(sp.Gt(sym, 0))
        elif name.startswith(("w_", "U_", "d_", "Omega_")) or name in ("W", "L", "G", "r", "h"):
            out.append(sp.Ge(sym, 1))
        elif name == "rho" or name.startswith("rho_"):
            out.append(sp.Ge(sym, 1))
    return _real(out)


def _register_form(fm: NetworkForm, title: str, convention: str):
    expr = fm.expand(_DEPTH)
    expr_pp = fm.expand(_DEPTH).subs({S.layer("p", l): _P1 for l in range(2, _DEPTH + 1)})
    pls = [S.layer("p", l) for l in range(1, _DEPTH + 1)]
    params = fam.ordered_params(expr, first=pls)
    explicit = fm.mode == "explicit"
    cites = (
        (_S2,)
        if "loss" not in fm.key
        else (cite("ledent2025", "Thm 3.7, via S2 (simplified: no activation-ratio terms); SOURCES.md [P4.2]"),)
    )
    if explicit:
        prov = Provenance(
            "derived",
            (
                cite("candes_plan2011", "Lemma 3.1 (low-rank cover)"),
                cite(
                    "bartlett2017",
                    "Lemma 3.1 (margin bound), Lemma 3.2 (Maurey), Lemma A.5 (Dudley), Thm 3.3 (layer induction)",
                ),
                cite("foucart_rauhut2013", "Thm 2.5 (Stechkin)"),
            ),
            note=_EXPLICIT_NOTE + " Proof: proofs/main_bound.",
            derived_from=("covering.mixed_layer", "network_cover.layer_step", "dudley.power_law"),
            proof="proofs/main_bound",
        )
    else:
        prov = Provenance("transcribed", cites, note=_MARGIN_NOTE)
    assumptions = _assumptions(params, explicit)
    register(
        Bound(
            fm.key,
            expr=expr,
            params=params,
            mode=fm.mode,
            lhs=r"\Pr[\text{error}] - \hat R_\gamma",
            provenance=prov,
            assumptions=assumptions,
            example=fam.example_values(params),
            limits=_limits_for(fm, expr_pp),
            title=f"{title} (L = {_DEPTH}, per-layer p_l; convention: {convention})",
            notes=(CERTIFIED + ". " if explicit else DOMINANT_ONLY + ". ")
            + (
                "Networks of any depth are evaluated by schattheory.bounds.network from the same per-layer terms."
                if explicit
                else "Per-layer quantities enter through the per-layer summand ledent2025.per_layer; "
                "networks of any depth are evaluated by schattheory.bounds.network from the same summand."
            ),
        )
    )


for (variant, mode), fm in FORMS.items():
    what = {
        "fc": "fully-connected",
        "fc_wl_width": "fully-connected, W_l = w_l",
        "cnn": "CNN (Theorem 3.6)",
        "cnn_wl_width": "CNN, W_l = positions x channels",
        "loss_augmented": "loss-augmented CNN (Theorem 3.7, simplified)",
    }[variant]
    conv = _CONVENTIONS[variant][2] if variant in _CONVENTIONS else "W_l = spatial positions, free"
    _register_form(fm, f"{what}, {mode} form", conv)

# ---- square network closed forms ---------------------------------------------------------------------------------
SQUARE = {}
for variant, omega in (("fc", 1), ("fc_wl_width", S.W)):
    expr, used = FORMS[(variant, "dominant")].square()
    SQUARE[variant] = (expr, used)
    key = "ledent2025.square.dominant" if variant == "fc" else "ledent2025.square_wl_width.dominant"
    register(
        Bound(
            key,
            expr=expr,
            params=(p, S.W, S.r, L, N, X),
            mode="dominant",
            assumptions=_real(
                (sp.Gt(p, 0), sp.Ge(S.W, 1), sp.Ge(S.r, 1), sp.Le(S.r, S.W), sp.Ge(L, 1), sp.Ge(N, 1), sp.Gt(X, 0))
            ),
            lhs=r"\Pr[\text{error}] - \hat R_\gamma",
            provenance=Provenance("transcribed", (_S2,), note=_MARGIN_NOTE),
            example={p: sp.Rational(1, 2), S.W: 64, S.r: 4, L: 4, N: 10000, X: 3},
            title=f"L square W x W layers whose nonzero singular values are equal (rank r, so r_l(p) = r); "
            f"X = B prod s / gamma; W_l = {omega}",
            limits=(
                Limit(p, 0, L * sp.sqrt(2 * S.W * S.r / N), "the bound (sample complexity 2 W r L^2)"),
                Limit(
                    p,
                    sp.oo,
                    L * X * sp.sqrt(sp.sympify(omega) / N),
                    f"the bound (norm-based; sample complexity L^2 X^2 {omega})",
                ),
            ),
            notes="Substitutions: " + "; ".join(used),
        )
    )

# ---- the main theorem under one name -----------------------------------------------------------------------------
#: the statement ``ledent2025.main`` stands for: Theorem 3.6 (CNN, no loss augmentation), dominant form, as transcribed
MAIN_KEY = "ledent2025.cnn.dominant"


def _main_alias() -> Bound:
    from dataclasses import replace

    from schattheory.core.registry import get

    main = get(MAIN_KEY)
    return replace(
        main,
        key="ledent2025.main",
        title="the main theorem (alias of ledent2025.cnn.dominant): Theorem 3.6, CNN bound without loss "
        "augmentation, in its transcribed dominant form (constants and logs dropped; not a bound). "
        "The certified explicit bound derived here is ledent2025.fc.explicit (dense layers)",
        notes=f"Alias of {MAIN_KEY} (same statement). " + main.notes,
    )


register(_main_alias())
