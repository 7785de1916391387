"""The per-layer mixed cover: the first release's form is refuted by a volume bound, the repaired one is not.

Counterexample (one dense w x w layer, inputs x_i = e_i so Z = I_w and n = w, B = gamma = s = 1, p = 2, rho = 1): the
class is the unit Frobenius ball; in the normalised metric ||.||_F / sqrt(w) at eps = 1/(2 sqrt w), i.e. Frobenius
scale 1/2, every cover of the ball of radius 1 by balls of radius 1/2 has at least (1/(1/2))^(w^2) points (volume),
so ln N >= w^2 ln 2. For p < 2 the S_p ball of radius R contains the Frobenius ball of radius R w^(1/2 - 1/p), which
gives ln N >= w^2 ln(R w^(1/2-1/p) / eps) at Frobenius scale eps.
"""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from schattheory.core.registry import get
from schattheory.foundation.symbols import R, b, d, eps, j, m, p

_spec = importlib.util.spec_from_file_location(
    "refuted_mixed_cover", Path(__file__).parent / "data" / "refuted_mixed_cover.py"
)
OLD = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(OLD)

SPLIT = get("covering.mixed_layer.split")
BAL = get("covering.mixed_layer")


def volume_lower(w, pp, eps_frob, radius=1.0):
    """ln N(B_{S_p}(radius) in R^{w x w}, ||.||_F, eps_frob) >= w^2 ln(radius w^(min(0, 1/2 - 1/p)) / eps_frob)."""
    inner = radius * w ** min(0.0, 0.5 - 1.0 / pp)
    return w * w * math.log(inner / eps_frob)


def new_split(w, jj, pp, eps_frob, radius=1.0):
    # unnormalised form: ||Z||_F = ||I_w||_F = sqrt(w); Frobenius scale eps_frob
    return float(SPLIT.evaluate({m: w, d: w, j: jj, p: pp, R: radius, b: sp.sqrt(w), eps: eps_frob}, dps=30))


def new_balanced(w, pp, eps_frob, radius=1.0):
    return float(BAL.evaluate({m: w, d: w, p: pp, R: radius, b: sp.sqrt(w), eps: eps_frob}, dps=30))


@pytest.mark.parametrize("w", [6, 7, 10, 64, 200])
def test_old_form_at_j0_omega1_is_refuted_by_volume(w):
    old = OLD.old_split(2 * w + 1, 0, 1, 1, 1, 2, 1 / (2 * math.sqrt(w)))
    assert old == pytest.approx(4 * w)
    assert old < volume_lower(w, 2, 0.5)


@pytest.mark.parametrize("w", [64, 100, 256])
def test_old_form_with_omega_w_minimised_over_j_is_refuted_by_volume(w):
    best = min(OLD.old_split(2 * w + 1, jj, w, 1, 1, 2, 1 / (2 * math.sqrt(w))) for jj in range(0, w + 1))
    assert 5 * w**1.5 <= best <= 4 * math.sqrt(2) * w**1.5  # 'about 5.7 w^1.5' (4 sqrt 2 asymptotically)
    assert best < volume_lower(w, 2, 0.5)


def test_old_form_survives_below_the_thresholds():
    # the volume bound overtakes the old form at w = 6 (Omega = 1) and between w = 60 and 63 (Omega = w)
    assert OLD.old_split(11, 0, 1, 1, 1, 2, 1 / (2 * math.sqrt(5))) >= volume_lower(5, 2, 0.5)
    best60 = min(OLD.old_split(121, jj, 60, 1, 1, 2, 1 / (2 * math.sqrt(60))) for jj in range(61))
    assert best60 >= volume_lower(60, 2, 0.5)


@pytest.mark.parametrize("w", [1, 2, 6, 7, 10, 64, 100, 256])
@pytest.mark.parametrize("jj", [1, 2, 3, 8, 64])
def test_new_split_is_not_refuted_at_the_counterexample(w, jj):
    assert new_split(w, jj, 2, 0.5) >= volume_lower(w, 2, 0.5)


@pytest.mark.parametrize("w", [6, 64, 256])
@pytest.mark.parametrize("pp", [0.1, 0.5, 1.0, 1.5, 1.99])
def test_new_forms_are_not_refuted_for_p_below_2(w, pp):
    # a Frobenius scale well inside the contained Frobenius ball, so the volume bound is large
    eps_frob = 0.25 * w ** (0.5 - 1.0 / pp)
    lower = volume_lower(w, pp, eps_frob)
    assert lower > w * w  # a strong lower bound (w^2 ln 4)
    assert new_balanced(w, pp, eps_frob) >= lower
    for jj in (1, 2, 5, w):
        assert new_split(w, jj, pp, eps_frob) >= lower


def test_new_split_needs_the_frobenius_maurey_count():
    # the tail part alone at j = 1, p = 2 is ceil(4 w R^2 ||Z||_F^2 / eps^2) ln(2 w^2) = ceil(16 w^2) ln(2 w^2)
    w = 10
    tail = new_split(w, 1, 2, sp.Rational(1, 2)) - (2 * w + 1) * math.log(1 + 12 * math.sqrt(w) / 0.5)
    assert tail == pytest.approx(math.ceil(16 * w * w) * math.log(2 * w * w), rel=1e-12)


# ---- brute force in tiny dimensions: greedy packings of {A Z} never exceed the new covers ----------------------
RNG = np.random.default_rng(20251130)


def sp_ball_matrices(mm, dd, pp, radius, count):
    """Matrices of the S_p ball: random singular vectors, singular values drawn then scaled into the ball
    (some on its boundary)."""
    out = []
    k = min(mm, dd)
    for i in range(count):
        U, _ = np.linalg.qr(RNG.normal(size=(mm, mm)))
        V, _ = np.linalg.qr(RNG.normal(size=(dd, dd)))
        sig = np.abs(RNG.standard_cauchy(size=k)) if i % 2 else RNG.uniform(0, 1, size=k)
        norm = (sig**pp).sum() ** (1 / pp)
        scale = radius / norm * (1.0 if i % 3 == 0 else RNG.uniform(0, 1))
        out.append(U[:, :k] @ np.diag(sig * scale) @ V[:, :k].T)
    return np.array(out)


@pytest.mark.parametrize("mm,dd,pp", [(2, 2, 1.0), (2, 2, 2.0), (2, 3, 0.5), (3, 2, 1.5)])
@pytest.mark.parametrize("eps_frob", [0.5, 0.3])
def test_greedy_packing_of_the_class_respects_the_new_cover(mm, dd, pp, eps_frob):
    Z = RNG.normal(size=(dd, 4))
    Z /= np.linalg.norm(Z)  # ||Z||_F = 1 = b
    mats = sp_ball_matrices(mm, dd, pp, 1.0, 3000)
    pts = np.einsum("kij,jn->kin", mats, Z).reshape(len(mats), -1)
    centres = np.empty((0, pts.shape[1]))
    for x in pts:
        if centres.shape[0] == 0 or np.linalg.norm(centres - x, axis=1).min() > eps_frob:
            centres = np.vstack([centres, x])
    # a packing at eps is at most a cover at eps/2: ln M(eps) <= ln N(eps/2)
    cover = float(SPLIT.evaluate({m: mm, d: dd, j: 1, p: pp, R: 1, b: 1, eps: eps_frob / 2}, dps=30))
    assert math.log(len(centres)) <= cover
    if pp < 2:
        assert math.log(len(centres)) <= float(BAL.evaluate({m: mm, d: dd, p: pp, R: 1, b: 1, eps: eps_frob / 2}))


# ---- the falsifier on the structured left side LogCoveringNumber(SchattenBall(p, R, m, d), EmpiricalL2(b), eps) ----
def _old_form_as_a_bound():
    """The refuted form on the new lemma's left side: X rho^(1/p) (the amplified S_p radius) is R b, Omega = 1."""
    from dataclasses import replace

    old = OLD.OLD_SPLIT.subs(
        {OLD.a: m + d + 1, OLD.Omega: 1, OLD.X: R * b, OLD.rho: 1, OLD.p: p, OLD.eps: eps, OLD.j: j}, simultaneous=True
    )
    return replace(SPLIT, key="refuted.mixed_layer.split", expr=old)


def test_falsifier_refutes_the_old_form_with_a_volume_argument():
    from schattheory import falsify

    ce = falsify(_old_form_as_a_bound(), budget_s=10, seed=0)
    assert ce is not None and ce.method == "volume" and ce.lhs > ce.rhs
    assert "e_i" in ce.argument  # the adversarial inputs x_i = B e_i of the counterexample


@pytest.mark.parametrize("key", ["covering.mixed_layer.split", "covering.mixed_layer"])
@pytest.mark.parametrize("seed", [0, 1])
def test_falsifier_does_not_refute_the_new_forms(key, seed):
    from schattheory import falsify

    assert falsify(get(key), budget_s=4, seed=seed) is None
