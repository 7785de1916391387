"""Exact limits of the Schatten core (issue 2, item 4), each checked symbolically and by an mpmath sequence.

- sum_i sigma_i^p -> k as p -> 0+;
- (sum_i sigma_i^p)^(1/p) -> sigma_1 as p -> oo (SymPy on the normalised decay form);
- the quasi-norm diverges as p -> 0+ once k >= 2 (and equals sigma_1 for k = 1);
- the rank proxy sum_i (sigma_i/sigma_1)^p -> k as p -> 0+ and -> 1 as p -> oo (strict maximum).

The numeric side evaluates the raw spectrum forms at p = 2^(-+k), k = 4 .. 48, at 50 digits on spectra with
magnitudes far from 1, ties and tiny tails.
"""

import mpmath
import pytest
import sympy as sp

from schattheory.foundation.symbols import p, spectrum
from schattheory.numerics import schatten
from schattheory.numerics.limits import numeric_sequence, sequence_points, timed_limit

R = sp.Rational
#: spectra for the numeric sequences: ordinary, huge, tiny, with a tie at the top, with a tail 1e-40 below the top
SPECTRA = {
    1: [(R(7, 3),)],
    2: [(3, R(1, 2)), (R(10) ** 150, R(10) ** 149), (R(5), R(5))],
    3: [(3, 2, R(1, 2)), (R(10) ** -150, R(10) ** -151, R(10) ** -190), (2, 2, 1)],
    5: [(9, 4, 4, 1, R(1, 10) ** 40)],
}
CASES = [(k, sig) for k, sigs in SPECTRA.items() for sig in sigs]
IDS = [f"k{k}-{i}" for k, sigs in SPECTRA.items() for i in range(len(sigs))]


def _seq(expr, sig, point):
    syms = spectrum(len(sig))
    return [v for _, v in numeric_sequence(expr.subs(dict(zip(syms, sig))), p, point, dps=50)]


def _close(v, target, rel=sp.Rational(1, 10**12)):  # noqa: B008 -- an immutable SymPy Rational, safe as a default
    with mpmath.workdps(50):
        t = mpmath.mpf(sp.N(target, 60))
        return abs(v - t) <= mpmath.mpf(sp.N(rel, 60)) * abs(t)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_power_sum_tends_to_k_symbolically(k):
    res = schatten.limit_sum_at_zero(k)
    assert (res.method, res.value) == ("symbolic", k)


@pytest.mark.parametrize("k,sig", CASES, ids=IDS)
def test_power_sum_tends_to_k_numerically(k, sig):
    seq = _seq(schatten.schatten_sum_form(spectrum(k), p), sig, 0)
    # sum sigma_i^p = k + p sum log sigma_i + O(p^2): the error at p = 2^-48 is below 1e-11 even for 1e-190
    assert _close(seq[-1], k, R(1, 10**10))
    errs = [abs(v - k) for v in seq]
    assert errs[-1] < errs[-4] < errs[0]


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_norm_tends_to_sigma1_symbolically(k):
    res = schatten.limit_norm_at_infinity(k)
    assert res.method == "symbolic" and res.value == spectrum(k)[0]


def test_raw_form_defeats_sympy_but_normalised_form_does_not():
    """The trap the normalisation avoids: on the raw two-term form SymPy's limit fails or gives no closed answer."""
    a, b = spectrum(2)
    raw = timed_limit(schatten.schatten_norm_form((a, b), p), p, sp.oo, timeout=10)
    assert raw.method != "symbolic" or raw.value == a  # either fails honestly or is right, never wrong
    assert schatten.limit_norm_at_infinity(2).value == a


@pytest.mark.parametrize("k,sig", CASES, ids=IDS)
def test_norm_tends_to_sigma1_numerically(k, sig):
    seq = _seq(schatten.schatten_norm_form(spectrum(k), p), sig, sp.oo)
    # (sum sigma^p)^(1/p) = sigma_1 * m^(1/p) (1 + ...): error ~ log(m)/p with m the multiplicity of sigma_1
    assert _close(seq[-1], sig[0], R(1, 10**12))


@pytest.mark.parametrize("k", [2, 3, 5])
def test_norm_diverges_at_zero_symbolically(k):
    res = schatten.limit_norm_at_zero(k)
    assert (res.method, res.value) == ("symbolic", sp.oo)


def test_norm_at_zero_for_a_single_singular_value():
    res = schatten.limit_norm_at_zero(1)
    assert res.value == spectrum(1)[0]


@pytest.mark.parametrize("k,sig", [c for c in CASES if c[0] >= 2], ids=[i for c, i in zip(CASES, IDS) if c[0] >= 2])
def test_norm_diverges_at_zero_numerically(k, sig):
    """||A||_{S_p} = sigma_1 r(p)^(1/p) with r(p) -> k >= 2: the terms grow without bound (like k^(1/p))."""
    seq = _seq(schatten.schatten_norm_form(spectrum(k), p), sig, 0)
    with mpmath.workdps(50):
        ratios = [b / a for a, b in zip(seq, seq[1:])]
        assert all(r > 1 for r in ratios)
        assert mpmath.log(seq[-1] / sig[0]) > mpmath.mpf(2) ** 40  # k^(2^48) / sigma_1 scale: log > 2^48 log 2 / 2


@pytest.mark.parametrize("k", [2, 3, 5])
def test_rank_proxy_limits_symbolically(k):
    assert schatten.limit_rank_proxy(k, 0).value == k
    assert schatten.limit_rank_proxy(k, sp.oo).value == 1


@pytest.mark.parametrize("k,sig", CASES, ids=IDS)
def test_rank_proxy_limits_numerically(k, sig):
    form = schatten.rank_proxy_form(spectrum(k), p)
    assert _close(_seq(form, sig, 0)[-1], k, R(1, 10**10))
    top = sum(1 for x in sig if x == sig[0])  # multiplicity of sigma_1: ties stay, the rest vanish
    assert _close(_seq(form, sig, sp.oo)[-1], top)


def test_sequence_points_are_powers_of_two():
    assert sequence_points(0)[:3] == [R(1, 16), R(1, 256), R(1, 4096)]
    assert sequence_points(sp.oo)[-1] == 2**48
