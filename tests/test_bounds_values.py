"""Bound values against numbers worked out independently (by hand, numpy or scipy), and the PAC-Bayes kl-inverse."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import brentq

from schattheory.bounds.ledent2025 import C_P
from schattheory.bounds.pac_bayes import get_mcallester, kl, kl_inverse, seeger_maurer
from schattheory.core import registry
from schattheory.foundation import symbols as S
from schattheory.foundation.errors import InputError


def _by_name(bound, **values):
    names = {s.name: s for s in bound.params}
    return {names[k]: v for k, v in values.items()}


def test_per_layer_summand_by_hand():
    b = registry.get("ledent2025.per_layer")
    # X = 30, rho = 2, a = 32, Omega = 1, p = 1/2: 30^(2/5) 2^(4/5) 32^(4/5)
    hand = 30**0.4 * 2**0.8 * 32**0.8
    assert float(b.evaluate({S.p: 0.5, S.X: 30, S.rho: 2, S.a: 32, S.Omega: 1})) == pytest.approx(hand, rel=1e-14)
    # p = 2: X sqrt(rho a Omega)
    assert float(b.evaluate({S.p: 2, S.X: 3, S.rho: 5, S.a: 7, S.Omega: 11})) == pytest.approx(3 * math.sqrt(385))


def test_balancing_constant_values():
    assert sp.simplify(C_P.subs(S.p, 2)) == 2
    assert sp.limit(C_P, S.p, 0, "+") == 1 and sp.limit(C_P, S.p, sp.oo) == 1
    # c_p is the minimum of a r + b r^(-2/p) over r > 0 divided by a^(2/(p+2)) b^(p/(p+2)): check by brute force
    for pv, av, bv in ((0.5, 3.0, 7.0), (1.0, 10.0, 0.2), (5.0, 1.0, 40.0)):
        rs = np.geomspace(1e-6, 1e6, 200001)
        brute = np.min(av * rs + bv * rs ** (-2 / pv))
        closed = float(C_P.subs(S.p, pv)) * av ** (2 / (pv + 2)) * bv ** (pv / (pv + 2))
        assert brute == pytest.approx(closed, rel=1e-6)


def test_square_form_equals_the_three_layer_form_with_equal_layers():
    fc = registry.get("ledent2025.fc.dominant")
    sq = registry.get("ledent2025.square.dominant")
    W_, r_, N_, B_, g_, s_ = 16, 3, 1000, 2, sp.Rational(1, 2), sp.Rational(3, 2)
    X_ = B_ * s_**3 / g_
    vals = _by_name(
        fc,
        N=N_,
        B=B_,
        gamma=g_,
        **{f"s_{l}": s_ for l in (1, 2, 3)},
        **{f"w_{l}": W_ for l in (0, 1, 2, 3)},
        **{f"rho_{l}": r_ for l in (1, 2, 3)},
        **{f"p_{l}": sp.Rational(7, 10) for l in (1, 2, 3)},
    )
    assert fc.evaluate(vals) == pytest.approx(
        sq.evaluate({S.p: sp.Rational(7, 10), S.W: W_, S.r: r_, S.L: 3, S.N: N_, S.X: X_}), rel=1e-40
    )


def test_bartlett_explicit_by_hand():
    b = registry.get("bartlett2017.explicit")
    s_, bb = [1.5, 2.0, 0.5], [10.0, 20.0, 3.0]
    w = [16, 17, 18, 19]
    XF, g, N, d = 1000.0, 0.5, 10000, 0.01
    R = np.prod(s_) * np.sum((np.array(bb) / np.array(s_)) ** (2 / 3)) ** 1.5
    hand = (
        8 / N
        + 72 * math.log(N) * XF * math.sqrt(math.log(2 * max(w) ** 2)) * R / (g * N)
        + 3 * math.sqrt(math.log(1 / d) / (2 * N))
    )
    vals = _by_name(
        b,
        X_F=XF,
        gamma=g,
        N=N,
        delta=d,
        **{f"s_{l + 1}": s_[l] for l in range(3)},
        **{f"b_{l + 1}": bb[l] for l in range(3)},
        **{f"w_{l}": w[l] for l in range(4)},
    )
    assert float(b.evaluate(vals)) == pytest.approx(hand, rel=1e-13)


def test_graf_bound_covers_both_documented_placements_of_psi():
    """12/sqrt(N) sqrt(sum 2 W_l (ln(1 + ceil(L^2 C^2)) + 27/10)) >= the psi-outside form (psi(x) = 2x arctan(1/x))
    and the psi-inside form with any psi < 2.7; and the number by hand."""
    b = registry.get("counting.graf2022.rademacher")
    s_, bb, w = [1.5, 2.0, 0.8], [10.0, 4.0, 3.0], [16, 17, 18, 19]
    XF, g, N, L = 3.0, 0.5, 10000, 3  # moderate C: no ceiling sits at a float rounding boundary
    P = np.prod(s_)
    C = [4 / g * XF / math.sqrt(N) * P * bb[l] / s_[l] for l in range(L)]
    W = [w[l] * w[l + 1] for l in range(L)]
    lnt = [math.log(1 + math.ceil(L**2 * c**2)) for c in C]
    hand = 12 / math.sqrt(N) * math.sqrt(sum(2 * W[l] * (lnt[l] + 2.7) for l in range(L)))
    vals = _by_name(
        b,
        X_F=XF,
        gamma=g,
        N=N,
        **{f"s_{l + 1}": s_[l] for l in range(3)},
        **{f"b_{l + 1}": bb[l] for l in range(3)},
        **{f"w_{l}": w[l] for l in range(4)},
    )
    got = float(b.evaluate(vals))
    assert got == pytest.approx(hand, rel=1e-12)
    psi_old = [2 * math.ceil(L * c) * (math.pi / 2 - math.atan(math.ceil(L * c))) for c in C]
    outside = 12 / math.sqrt(N) * math.sqrt(sum(2 * W[l] * lnt[l] + psi_old[l] for l in range(L)))
    inside = 12 / math.sqrt(N) * math.sqrt(sum(2 * W[l] * (lnt[l] + 2.7 - 1e-12) for l in range(L)))
    assert outside < got and inside <= got


def test_graf_psi_is_evaluated_without_cancellation():
    """At huge C_l the library's float64 evaluator agrees with 50 digits: psi(x) ~ 2 must not come out of a
    difference such as pi/2 - atan(x) (which loses every digit of psi at x = 1e12; widths 1 make psi visible)."""
    b = registry.get("counting.graf2022.rademacher")
    vals = _by_name(
        b,
        N=100,
        X_F=1e9,
        gamma=1e-3,
        **{f"s_{l}": 2.0 for l in (1, 2, 3)},
        **{f"b_{l}": 3.0 for l in (1, 2, 3)},
        **{f"w_{l}": 1 for l in range(4)},
    )
    fast = b.numeric("numpy")(*[vals[s] for s in b.params])
    exact = b.evaluate(vals, dps=50)
    assert float(fast) == pytest.approx(float(exact), rel=1e-12)


def test_vc_explicit_uses_the_growth_function_bound_below_the_vc_dimension():
    b = registry.get("vc.bhlm2019.explicit")
    vals = _by_name(b, N=100, delta=0.01, **{f"w_{l}": 16 for l in range(4)}, **{f"Omega_{l}": 1 for l in (1, 2, 3)})
    D = float(
        registry.get("vc.bhlm2019.vcdim").evaluate(
            _by_name(registry.get("vc.bhlm2019.vcdim"), **{f"w_{l}": 16 for l in range(4)})
        )
    )
    assert D > 100
    hand = math.sqrt(2 * D / 100) + math.sqrt(math.log(100) / 200)
    assert float(b.evaluate({**vals, **_by_name(b, K=2)})) == pytest.approx(hand, rel=1e-12)  # binary: Q = 1
    # ten classes: the growth function of the argmax counts the 45 pairwise comparisons on each point
    N, Q = 10**7, 45
    big = _by_name(b, N=N, delta=0.01, K=10, **{f"w_{l}": 16 for l in range(4)}, **{f"Omega_{l}": 1 for l in (1, 2, 3)})
    hand10 = math.sqrt(2 * D * math.log(math.e * N * Q / D) / N) + math.sqrt(math.log(100) / (2 * N))
    assert float(b.evaluate(big)) == pytest.approx(hand10, rel=1e-12)
    binary = math.sqrt(2 * D * math.log(math.e * N / D) / N) + math.sqrt(math.log(100) / (2 * N))
    assert hand10 > binary  # the ln k cost


def test_arora_and_golowich_by_hand():
    g1 = registry.get("golowich2018.thm1")
    vals = _by_name(g1, X_F=50, N=400, F_1=2, F_2=3, F_3=0.5)
    assert float(g1.evaluate(vals)) == pytest.approx((math.sqrt(2 * math.log(2) * 3) + 1) * 50 * 3 / 400)


# ---- PAC-Bayes ------------------------------------------------------------------------------------------------
def test_kl_inverse_matches_scipy_root_and_is_certified_from_above():
    for q, c in ((0.1, 0.05), (0.0, 0.3), (0.3, 1e-6), (0.02, 2.0), (0.5, 0.01)):
        inv = kl_inverse(q, c)
        ref = (
            brentq(lambda x: float(kl(q, x, 30)) - c, q + 1e-15, 1 - 1e-15, xtol=1e-15)
            if c < float(kl(q, 1 - 1e-15, 30))
            else 1.0
        )
        assert float(inv) == pytest.approx(ref, abs=1e-12)
        with mpmath.workdps(50):
            assert kl(q, inv) >= c  # never undershoots
            assert kl(q, inv - mpmath.mpf(10) ** -44) <= c  # and is tight
    # q = 0: kl(0||p) = -ln(1 - p), so the inverse is 1 - e^-c
    assert float(kl_inverse(0, 0.3)) == pytest.approx(1 - math.exp(-0.3), abs=1e-15)
    assert kl_inverse(1, 0.5) == 1


@given(st.floats(0, 0.99), st.floats(1e-6, 3))
def test_kl_inverse_below_pinsker(q, c):
    assert float(kl_inverse(q, c, dps=20)) <= min(1.0, q + math.sqrt(c / 2)) + 1e-12


def test_kl_inverse_refuses_bad_input():
    with pytest.raises(InputError, match="q="):
        kl_inverse(1.5, 0.1)
    with pytest.raises(InputError, match="c="):
        kl_inverse(0.1, -1)
    with pytest.raises(InputError, match="n="):
        seeger_maurer(0.1, 10, 5, 0.05)


def test_seeger_maurer_and_mcallester_at_numbers():
    emp, KLv, n, d = 0.05, 5000.0, 60000, 0.025
    rhs = (KLv + math.log(2 * math.sqrt(n) / d)) / n
    assert float(seeger_maurer(emp, KLv, n, d)) == pytest.approx(float(kl_inverse(emp, rhs)), abs=1e-14)
    mca = emp + math.sqrt((KLv + math.log(1 / d) + math.log(n) + 2) / (2 * n - 1))
    assert float(get_mcallester(emp, KLv, n, d)) == pytest.approx(mca, rel=1e-14)
    assert float(seeger_maurer(emp, KLv, n, d)) < mca  # the kl form is tighter at small empirical loss
