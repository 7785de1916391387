"""Property tests of the registered one-matrix Schatten lemmas on random spectra (hypothesis, ``ci`` profile).

Each lemma is evaluated through its registered statement (``Bound.evaluate`` on both sides, 30 digits) on spectra
with magnitudes anywhere in 1e-150..1e150, exact zeros and repeated values, and exponents near 0, moderate and very
large. The slack is relative (1e-25), so tiny spectra are checked as strictly as spectra near 1.
"""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from schattheory.core.registry import get
from schattheory.core.testing import assert_bound_holds, exponents, spectra


def _pq(data, strict=False):
    a, b = data.draw(exponents()), data.draw(exponents())
    p, q = min(a, b), max(a, b)
    if strict:
        assume(p < q * (1 - 1e-9))
    return p, q


def _params(key, data, size):
    if key in ("schatten.monotonicity", "schatten.rank_comparison"):
        p, q = _pq(data)
        return {"p": p, "q": q}
    if key == "schatten.stechkin_sigma":
        return {"p": data.draw(exponents()), "j": data.draw(st.integers(0, size + 1))}
    if key in ("schatten.stechkin_tail", "schatten.stechkin_tail_sharp"):
        p, q = _pq(data, strict=True)
        return {"p": p, "q": q, "j": data.draw(st.integers(1, size + 1))}
    return {"p": data.draw(exponents())}


ONE_MATRIX = [
    "schatten.monotonicity",
    "schatten.rank_comparison",
    "schatten.stechkin_sigma",
    "schatten.spectral_le_schatten",
    "schatten.rank_sandwich_lower",
    "schatten.rank_sandwich_upper",
    "schatten.stechkin_tail",
    "schatten.stechkin_tail_sharp",
]


@pytest.mark.parametrize("key", ONE_MATRIX)
@given(data=st.data(), sig=spectra())
def test_lemma_holds_on_random_spectra(key, data, sig):
    bound = get(key)
    values = {"A": list(sig), **_params(key, data, sig.size)}
    assert_bound_holds(bound, values, dps=30, rtol=1e-25)


def test_lemma_list_covers_every_one_matrix_lemma():
    """Every registered schatten.* lemma about A alone is in the property test above (none forgotten)."""
    from schattheory.core.registry import all_bounds
    from schattheory.foundation.symbols import A

    single = {b.key for b in all_bounds("schatten.") if b.kind == "lemma" and b.matrices() == {A}}
    assert single == set(ONE_MATRIX)


# ---- the registered sides against the definitions, computed here from the singular values --------------------


def _lib_sides(key, values, dps=40):
    b = get(key)
    return b.evaluate(values, dps=dps, side="lhs"), b.evaluate(values, dps=dps, side="rhs")


@given(sig=spectra(), data=st.data())
def test_stechkin_tail_brute_force(sig, data):
    """The library's tail norm equals ||sigma_{>j}||_q from the definition, and the library's right side bounds it."""
    p, q = _pq(data, strict=True)
    j = data.draw(st.integers(1, sig.size + 1))
    lib_lhs, lib_rhs = _lib_sides("schatten.stechkin_tail_sharp", {"A": list(sig), "p": p, "q": q, "j": j})
    with mpmath.workdps(40):
        s = sorted((mpmath.mpf(float(x)) for x in sig if x > 0), reverse=True)
        tail = s[j:]
        brute = mpmath.fsum(x**q for x in tail) ** (1 / mpmath.mpf(q)) if tail else mpmath.mpf(0)
        tol = mpmath.mpf(10) ** -30
        assert abs(lib_lhs - brute) <= tol * max(abs(brute), mpmath.mpf(10) ** -300)
        assert brute <= lib_rhs * (1 + tol)


@pytest.mark.parametrize("j", [1, 2, 5])
def test_stechkin_sharp_constant_is_attained(j):
    """sigma = (1, ..., 1) of length 2j, p = 1, q = 2: both sides equal sqrt(j) (the constant cannot be lowered)."""
    bound = get("schatten.stechkin_tail_sharp")
    lhs, rhs = assert_bound_holds(bound, {"A": [1] * (2 * j), "p": 1, "q": 2, "j": j}, dps=40)
    with mpmath.workdps(40):
        assert abs(lhs - mpmath.sqrt(j)) < mpmath.mpf(10) ** -35
        assert abs(rhs - lhs) < mpmath.mpf(10) ** -35


def test_stechkin_sharp_constant_closed_form():
    """c_{p,q} at p/q = 1/2 is 2^(-1/p); c_{p,q} <= 1 on a grid; the constant-1 lemma is the weaker one."""
    from schattheory.foundation.symbols import p, q
    from schattheory.lemmas.schatten_facts import STECHKIN_C

    assert sp.simplify(STECHKIN_C.subs(q, 2 * p) - 2 ** (-1 / p)) == 0
    f = sp.lambdify((p, q), STECHKIN_C, "mpmath")
    for pv in (0.01, 0.3, 1, 2.5):
        for ratio in (1.001, 1.5, 2, 10, 1e4):
            assert 0 < f(pv, pv * ratio) <= 1


@given(sig=spectra(), data=st.data())
def test_rank_sandwich_brute_force(sig, data):
    """sigma_1^p <= sum sigma_i^p <= (nonzero count) sigma_1^p: the library's sides against the definition."""
    p = data.draw(exponents())
    values = {"A": list(sig), "p": p}
    low_l, low_r = _lib_sides("schatten.rank_sandwich_lower", values)
    up_l, up_r = _lib_sides("schatten.rank_sandwich_upper", values)
    with mpmath.workdps(40):
        s = [mpmath.mpf(float(x)) for x in sig if x > 0]
        total = mpmath.fsum(x**p for x in s)
        top = max(s) ** p
        tol = mpmath.mpf(10) ** -30
        for lib, brute in ((low_l, top), (low_r, total), (up_l, total), (up_r, len(s) * top)):
            assert abs(lib - brute) <= tol * brute, (lib, brute)
        assert top <= total * (1 + tol) and total <= len(s) * top * (1 + tol)


def test_matrix_rank_counts_tiny_singular_values():
    """rank must count every value the power sums count: sigma = (1, 1e-300) breaks the sandwich otherwise."""
    bound = get("schatten.rank_sandwich_upper")
    lhs, rhs = assert_bound_holds(bound, {"A": [1.0, 1e-300], "p": 0.001})
    assert float(lhs) == pytest.approx(1 + 10**-0.3, rel=1e-12)  # (1e-300)^0.001 = 10^-0.3
    assert float(rhs) == pytest.approx(2.0, rel=1e-12)


@given(sig=spectra(), data=st.data())
def test_rank_proxy_in_range_and_non_increasing(sig, data):
    """r(p) = sum (sigma_i/sigma_1)^p lies in [1, rank] and is non-increasing in p (mpmath and float64 paths)."""
    from schattheory.numerics import stable

    p, q = _pq(data)
    k = int(np.count_nonzero(sig))
    mp_sig = [mpmath.mpf(float(x)) for x in sig]
    with mpmath.workdps(40):
        rp, rq = stable.rank_proxy(mp_sig, p), stable.rank_proxy(mp_sig, q)
        eps = mpmath.mpf(10) ** -35
        assert 1 - eps <= rq <= rp * (1 + eps) and rp <= k * (1 + eps)
    fp, fq = stable.rank_proxy(sig, p), stable.rank_proxy(sig, q)
    assert 1 - 1e-12 <= fq <= fp * (1 + 1e-12) and fp <= k * (1 + 1e-12)
    assert math.isclose(fp, float(rp), rel_tol=1e-12)


def test_rank_proxy_derivative_is_negative_symbolically():
    """d/dp sum_i exp(-u_i p) = -sum_i u_i exp(-u_i p) < 0 for u_i > 0: SymPy decides the sign exactly."""
    from schattheory.foundation.symbols import p
    from schattheory.numerics.schatten import decay_form

    for k in (2, 3, 5):
        form, _ = decay_form(k, p)
        assert sp.diff(form, p).is_negative is True
