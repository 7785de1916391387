"""Empirical eps-nets in tiny dimensions: greedy maximal packings of many sampled points never exceed the lemmas.

A greedy pass keeps a sampled point when it is > eps from every kept point; the result is an eps-packing of the
sample and an eps-net of it, with centres in the set. Volumetric lemmas bound the packing number itself, so their
bound applies directly (and is nearly attained for l_inf, so a wrong constant fails). For lemmas proved as covering
bounds we also assert the rigorous packing comparison M(eps) <= N(eps/2).
"""

import math

import numpy as np
import pytest
import sympy as sp

from schattheory.core.registry import get
from schattheory.foundation.symbols import R, a, b, d, eps, m, p, r
from schattheory.lemmas.maurey import maurey_k, maurey_net, mixed_norm

RNG = np.random.default_rng(20251024)


def greedy_packing(points, eps_val, dist):
    centres = np.empty((0, points.shape[1]))
    for x in points:
        if centres.shape[0] == 0 or dist(centres - x).min() > eps_val:
            centres = np.vstack([centres, x])
    return centres


def lp_dist(pp):
    if pp == np.inf:
        return lambda diff: np.abs(diff).max(axis=1)
    if pp >= 1:
        return lambda diff: (np.abs(diff) ** pp).sum(axis=1) ** (1 / pp)
    return lambda diff: (np.abs(diff) ** pp).sum(axis=1) ** (1 / pp)  # the quasi-norm itself


def ball_sample(dim, pp, count, radius=1.0):
    """Points of the l_p ball: a lattice-like fine grid for dim <= 2 plus uniform rejection samples and boundary
    points."""
    pts = RNG.uniform(-radius, radius, size=(count * 4, dim))
    inside = (np.abs(pts) ** pp).sum(axis=1) ** (1 / pp) <= radius if pp != np.inf else np.ones(len(pts), bool)
    pts = pts[inside][:count]
    bnd = RNG.normal(size=(count // 4, dim))
    nrm = (np.abs(bnd) ** pp).sum(axis=1) ** (1 / pp) if pp != np.inf else np.abs(bnd).max(axis=1)
    bnd = bnd / nrm[:, None] * radius
    return np.vstack([bnd, pts])


def vol_bound(dim, R_val, eps_val):
    return math.exp(float(get("covering.volumetric").evaluate({d: dim, R: R_val, eps: eps_val}, dps=20)))


@pytest.mark.parametrize("dim,pp", [(1, 2), (2, 2), (2, 1), (2, np.inf), (3, 2), (3, np.inf)])
@pytest.mark.parametrize("eps_val", [0.5, 0.25])
def test_volumetric_norm_balls(dim, pp, eps_val):
    pts = ball_sample(dim, pp, 6000)
    if dim == 1:
        pts = np.linspace(-1, 1, 4001)[:, None]
    size = len(greedy_packing(pts, eps_val, lp_dist(pp)))
    bound = vol_bound(dim, 1, eps_val)
    assert size <= bound, (size, bound)
    if pp == np.inf or dim == 1:
        # near tightness: a lemma with a too-small constant, e.g. (1 + R/eps)^d, would fail this test
        assert size > (1 + 1 / eps_val) ** dim


def test_volumetric_cube_lattice_packing_is_near_the_bound():
    """An explicit l_inf packing: the lattice (-1 + k(eps + tiny)) has floor(2/eps)^d points, vs (1 + 2/eps)^d."""
    eps_val, tiny = 0.25, 1e-9
    ticks = np.arange(-1, 1 + 1e-12, eps_val + tiny)
    for dim in (1, 2, 3):
        grid = np.array(np.meshgrid(*[ticks] * dim)).reshape(dim, -1).T
        size = len(greedy_packing(grid, eps_val, lp_dist(np.inf)))
        assert size == len(ticks) ** dim
        assert size <= vol_bound(dim, 1, eps_val)
        # (2R/eps)^d points fit: the "2" in (1 + 2R/eps)^d cannot be lowered (e.g. (1 + 1.5 R/eps)^d fails here)
        assert size >= (2 / eps_val) ** dim > (1 + 1.5 / eps_val) ** dim


@pytest.mark.parametrize("dim", [2, 3])
@pytest.mark.parametrize("eps_val", [0.5, 0.2])
def test_quasi_norm_ball(dim, eps_val):
    pp = 0.5
    pts = ball_sample(dim, pp, 8000)
    size = len(greedy_packing(pts, eps_val, lp_dist(pp)))
    bound = math.exp(
        float(get("covering.quasi_norm_ball").evaluate({d: dim, p: sp.Rational(1, 2), R: 1, eps: eps_val}, dps=20))
    )
    assert size <= bound, (size, bound)


def _svals(M):
    return np.linalg.svd(M, compute_uv=False)


def schatten_dist(pp):
    def dist(diff):
        mats = diff.reshape(-1, 2, 2)
        sv = np.linalg.svd(mats, compute_uv=False)
        return (sv**pp).sum(axis=1) ** (1 / pp)

    return dist


def schatten_ball_2x2(pp, count, radius=1.0):
    raw = RNG.normal(size=(count, 2, 2)) * RNG.uniform(0, 1, size=(count, 1, 1))
    sv = np.linalg.svd(raw, compute_uv=False)
    nrm = (sv**pp).sum(axis=1) ** (1 / pp)
    scale = radius * RNG.uniform(0, 1, size=count) ** 0.25 / nrm
    return (raw * scale[:, None, None]).reshape(count, 4)


def test_schatten_half_ball_in_its_own_quasi_norm():
    """S_{1/2} is 1/2-normed (Rotfel'd/McCarthy), so covering.quasi_norm_ball applies with d = 4."""
    pts = schatten_ball_2x2(0.5, 5000)
    size = len(greedy_packing(pts, 0.5, schatten_dist(0.5)))
    bound = math.exp(
        float(get("covering.quasi_norm_ball").evaluate({d: 4, p: sp.Rational(1, 2), R: 1, eps: sp.Rational(1, 2)}))
    )
    assert size <= bound


def frob(diff):
    return np.sqrt((diff**2).sum(axis=1))


@pytest.mark.parametrize("shape", [(2, 2), (2, 3)])
def test_low_rank_cover(shape):
    mm, dd = shape
    count = 5000
    u = RNG.normal(size=(count, mm))
    v = RNG.normal(size=(count, dd))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    s = RNG.uniform(0, 1, size=count) ** 0.2
    pts = (s[:, None, None] * u[:, :, None] * v[:, None, :]).reshape(count, -1)
    for eps_val in (0.5, 0.3):
        size = len(greedy_packing(pts, eps_val, frob))
        bnd = get("covering.low_rank")
        at_half = math.exp(float(bnd.evaluate({m: mm, d: dd, r: 1, R: 1, eps: eps_val / 2})))  # M(eps) <= N(eps/2)
        at_eps = math.exp(float(bnd.evaluate({m: mm, d: dd, r: 1, R: 1, eps: eps_val})))
        assert size <= at_half and size <= at_eps


@pytest.mark.parametrize(
    "key,pp",
    [
        ("covering.schatten_ball.frobenius", sp.Rational(1, 2)),
        ("covering.schatten_ball.frobenius", 1),
        ("covering.schatten_ball.spectral", sp.Rational(1, 2)),
    ],
)
def test_schatten_ball_covers(key, pp):
    pts = schatten_ball_2x2(float(pp), 4000)
    if key.endswith("spectral"):

        def dist(diff):
            return np.linalg.svd(diff.reshape(-1, 2, 2), compute_uv=False)[:, 0]
    else:
        dist = frob
    bnd = get(key)
    for eps_val in (sp.Rational(1, 2), sp.Rational(3, 10)):
        size = len(greedy_packing(pts, float(eps_val), dist))
        assert math.log(size) <= float(bnd.evaluate({m: 2, d: 2, p: pp, R: 1, eps: eps_val / 2}))


# ---- Maurey: the explicit net of the proof ---------------------------------------------------------------------
def _sample_A(dd, mm, q_norm, s_norm, a_val, count):
    """Matrices with ||A||_{q,s} <= a, including extreme points (one non-zero entry of full size)."""
    out = []
    for _ in range(count):
        A = RNG.normal(size=(dd, mm))
        if RNG.uniform() < 0.3:
            A = np.zeros((dd, mm))
            A[RNG.integers(dd), RNG.integers(mm)] = RNG.choice([-1, 1])
        A *= a_val * RNG.uniform(0.5, 1.0) ** 0.1 / mixed_norm(A, q_norm, s_norm)
        out.append(A)
    return out


@pytest.mark.parametrize(
    "pp,q_norm,s_norm,r_exp,mm",
    [(2, 2, 1, math.inf, 1), (2, 2, 1, math.inf, 2), (2, 2, 2, 2, 2), (1.5, 3, 1, math.inf, 2)],
)
def test_maurey_net_covers_every_sample(pp, q_norm, s_norm, r_exp, mm):
    X = RNG.normal(size=(3, 2))
    a_val = 1.0
    bX = float((np.abs(X) ** pp).sum() ** (1 / pp))
    M = a_val * bX * (mm ** (1 / r_exp) if r_exp != math.inf else 1.0)
    eps_val = M / 2.2  # k = ceil(M^2/eps^2) = 5 terms
    net, k = maurey_net(X, m=mm, a=a_val, eps=eps_val, p=pp, r=r_exp)
    assert k == maurey_k(a_val, bX, eps_val, mm, r_exp) == 5
    flat = net.reshape(len(net), -1)
    worst = 0.0
    for A in _sample_A(2, mm, q_norm, s_norm, a_val, 400):
        target = (X @ A).ravel()
        worst = max(worst, np.sqrt(((flat - target) ** 2).sum(axis=1)).min())
    assert worst <= M / math.sqrt(k) + 1e-12 <= eps_val + 1e-12
    # and the net's size is within the lemma's count
    lemma = get("maurey.general").evaluate(
        {
            a: a_val,
            b: bX,
            m: mm,
            sp.Symbol("r_M", positive=True): 10**9 if r_exp == math.inf else r_exp,
            eps: eps_val,
            d: 2,
        },
        dps=20,
    )
    assert math.log(len(net)) <= float(lemma) + 1e-9


def test_maurey_bound_vs_greedy_packing():
    X = np.array([[1.0, 0.3], [0.0, 1.0], [0.5, -0.2]])
    pts = np.array([(X @ A).ravel() for A in _sample_A(2, 2, 2, 1, 1.0, 3000)])
    bF = float(np.linalg.norm(X))
    for eps_val in (0.6, 0.4):
        size = len(greedy_packing(pts, eps_val, frob))
        lemma = float(get("maurey.bft_instance").evaluate({a: 1, b: bF, eps: eps_val / 2, d: 2, m: 2}, dps=20))
        assert math.log(size) <= lemma


def test_network_cover_vs_greedy_packing():
    """A depth-2 ReLU network on 3 inputs: outputs F(X) in R^{2 x 3}; Theorem 3.3's bound (at eps/2) holds."""
    from schattheory.foundation.symbols import XF, W
    from schattheory.lemmas.network_cover import bft_theorem33, layer_symbols

    Xd = RNG.normal(size=(2, 3))
    s_val, b_val = 1.0, 1.5
    outs = []
    for _ in range(3000):
        layers = []
        for _l in range(2):
            A = RNG.normal(size=(2, 2))
            A /= max(np.linalg.svd(A, compute_uv=False)[0] / s_val, np.linalg.norm(A, axis=1).sum() / b_val)
            layers.append(A * RNG.uniform(0.3, 1.0))
        h = np.maximum(layers[0] @ Xd, 0)
        outs.append((layers[1] @ h).ravel())
    pts = np.array(outs)
    s_, b_, rho_, _, _ = layer_symbols(2)
    expr = bft_theorem33(2).subs(
        {
            XF: float(np.linalg.norm(Xd)),
            W: 2,
            **{x: s_val for x in s_},
            **{x: b_val for x in b_},
            **{x: 1 for x in rho_},
        }
    )
    for eps_val in (0.8, 0.5):
        size = len(greedy_packing(pts, eps_val, frob))
        assert math.log(size) <= float(expr.subs(eps, eps_val / 2))
