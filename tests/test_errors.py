"""Bad input raises InputError (a ValueError) whose one-line message names the argument and the value given."""

import math

import numpy as np
import pytest
import sympy as sp

from schattheory.core.registry import get
from schattheory.foundation.errors import InputError
from schattheory.numerics import matrix, stable

A = np.array([[3.0, 1.0], [0.0, 2.0]])
FUNCS = [matrix.schatten_norm, matrix.schatten_sum, matrix.rank_proxy, matrix.log_schatten_norm]


def _raises(fn, *args, argument, value_text, **kwargs):
    with pytest.raises(InputError) as info:
        fn(*args, **kwargs)
    err = info.value
    assert isinstance(err, ValueError)
    message = str(err)
    assert "\n" not in message
    assert err.argument == argument and message.startswith(f"{argument}="), message
    assert value_text in message, message
    return message


@pytest.mark.parametrize("fn", FUNCS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "p,text", [(-1, "-1"), (-0.5, "-0.5"), (float("nan"), "nan"), ("two", "two"), (-math.inf, "-inf")]
)
def test_bad_exponent(fn, p, text):
    _raises(fn, A, p, argument="p", value_text=text)


@pytest.mark.parametrize("fn", [matrix.schatten_norm, matrix.log_schatten_norm], ids=lambda f: f.__name__)
def test_p_zero_is_refused_where_undefined(fn):
    _raises(fn, A, 0, argument="p", value_text="0")


def test_p_zero_is_the_rank_where_defined():
    assert matrix.schatten_sum(A, 0) == 2 and matrix.rank_proxy(A, 0) == 2


def test_schatten_sum_refuses_infinite_p():
    _raises(matrix.schatten_sum, A, math.inf, argument="p", value_text="inf")


@pytest.mark.parametrize(
    "fn", FUNCS + [lambda M, p: matrix.effective_rank(M)], ids=lambda f: getattr(f, "__name__", "f")
)
@pytest.mark.parametrize(
    "M,text",
    [
        (np.ones(3), "shape (3,)"),
        (np.ones((2, 2, 2)), "shape (2, 2, 2)"),
        (np.ones((0, 3)), "shape (0, 3)"),
        (np.array([[1.0, np.nan]]), "NaN"),
        (np.array([[1.0, np.inf]]), "inf"),
        (np.array([[1 + 1j, 0]]), "complex"),
        ([[1.0, 2.0], [3.0]], "list"),
        (5.0, "shape ()"),
    ],
)
def test_bad_matrix(fn, M, text):
    _raises(fn, M, 1.0, argument="A", value_text=text)


@pytest.mark.parametrize("dps,text", [(10, "10"), (0, "0"), (-5, "-5"), (2.5, "2.5"), (True, "True"), ("50", "50")])
def test_bad_precision(dps, text):
    _raises(matrix.schatten_norm, A, 1, dps=dps, argument="dps", value_text=text)


def test_precision_15_is_accepted():
    assert float(matrix.schatten_norm(A, 2, dps=15)) == pytest.approx(math.sqrt(14))


def test_large_matrix_with_dps_is_refused_not_faked():
    big = np.ones((matrix.MP_SVD_MAX + 1, matrix.MP_SVD_MAX + 1))
    _raises(matrix.schatten_norm, big, 1, dps=30, argument="A", value_text="shape")


def test_bad_spectrum():
    _raises(stable.as_spectrum, np.array([1.0, -2.0]), argument="sigma", value_text="-2")
    _raises(stable.as_spectrum, np.array([]), argument="sigma", value_text="shape (0,)")
    _raises(stable.as_spectrum, np.array([1.0, np.nan]), argument="sigma", value_text="array")


def test_symbolic_schatten_norm_refuses_bad_p():
    from schattheory.foundation.symbols import A as Asym
    from schattheory.numerics.schatten import SchattenNorm

    _raises(SchattenNorm, Asym, -1, argument="p", value_text="-1")
    _raises(SchattenNorm, Asym, 0, argument="p", value_text="0")


def test_bound_evaluate_bad_input():
    b = get("schatten.monotonicity")
    _raises(b.evaluate, {"A": [2.0, 1.0], "p": 1, "q": 2, "zeta": 3}, argument="values", value_text="zeta")
    _raises(b.evaluate, {"A": [2.0, 1.0], "p": 1, "q": 2}, 10, argument="dps", value_text="10")
    _raises(b.evaluate, {"p": 1, "q": 2}, argument="values", value_text="A")
    _raises(b.numeric, "numpy", argument="backend", value_text="numpy")


def test_unknown_registry_key_lists_close_matches():
    with pytest.raises(KeyError, match="close matches: schatten.quasi_triangle"):
        get("schatten.quasi_triangel")


def test_to_mpf_refuses_symbols():
    from schattheory.numerics.backends import to_mpf

    _raises(to_mpf, sp.Symbol("x"), "x", argument="x", value_text="x")


def test_exponent_as_exact_fraction_string():
    """ "1/2" is accepted and used exactly on the dps path; malformed fractions name the argument."""
    import mpmath
    import numpy as np
    import pytest

    from schattheory.foundation.errors import InputError, check_p
    from schattheory.numerics.matrix import schatten_norm

    A = np.diag([4.0, 1.0])
    with mpmath.workdps(40):
        assert abs(schatten_norm(A, "1/2", dps=30) - 9) < mpmath.mpf(10) ** -28  # (2 + 1)^2
    assert check_p("1/4") == 0.25
    for bad in ("1/0", "a/b", "-1/2"):
        with pytest.raises(InputError, match="p="):
            check_p(bad)
