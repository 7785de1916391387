"""Assumptions enforced at evaluation time (mpmath and numpy paths) and removable singularities by their limit."""

import mpmath
import numpy as np
import pytest
import sympy as sp

from schattheory.core import registry
from schattheory.core.bound import Bound
from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Provenance, cite


def _example(key, **over):
    b = registry.get(key)
    return b, {**{str(k): v for k, v in b.example}, **over}


@pytest.mark.parametrize("value", [-1, -2, 0])
def test_nonpositive_p_refused_naming_p(value):
    b, vals = _example("balancing.constant", p=value)
    with pytest.raises(InputError, match=r"^p=.*positive"):
        b.evaluate(vals)


def test_zero_sample_size_is_an_input_error_not_zero_division():
    b, vals = _example("dudley.inverse_square", N=0)
    with pytest.raises(InputError, match=r"^N=0: must be positive"):
        b.evaluate(vals)
    with pytest.raises(InputError, match=r"^N=0"):
        b.numeric("mpmath")(*[vals[str(s)] for s in b.params])


def test_integer_symbol_refuses_fraction():
    b, vals = _example("dudley.inverse_square", N=sp.Rational(21, 2))
    with pytest.raises(InputError, match="integer"):
        b.evaluate(vals)


def test_low_rank_cover_refuses_eps_above_radius():
    b, vals = _example("covering.low_rank", epsilon=5, R=1)
    with pytest.raises(InputError, match=r"^epsilon=5: violates the assumption epsilon <= R of covering.low_rank"):
        b.evaluate(vals)
    # at the boundary eps = R the statement applies
    assert b.evaluate({**vals, "epsilon": 1}) > 0


def test_numpy_path_checks_assumptions_vectorised():
    b = registry.get("covering.low_rank")
    f = b.numeric("numpy")
    ok = f(3, 2, 1, 1.0, np.array([0.25, 0.5, 1.0]))
    assert ok.shape == (3,) and np.all(np.isfinite(ok))
    with pytest.raises(InputError, match=r"epsilon=5.*epsilon <= R.*index 2"):
        f(3, 2, 1, 1.0, np.array([0.25, 0.5, 5.0]))
    g = registry.get("balancing.constant").numeric("numpy")
    with pytest.raises(InputError, match=r"^p=-1.*positive.*index 1"):
        g(np.array([1.0, -1.0]))


def test_removable_singularity_is_its_limit():
    """dudley.power_law at q = 2 is 0/0; its limit is the inverse-square (log) form with c = R^2, an independent
    registered closed form."""
    pl = registry.get("dudley.power_law")
    inv = registry.get("dudley.inverse_square")
    a0 = sp.Rational(1, 10)
    at_two = pl.evaluate({"c": 4, "q": 2, "N": 1000, "alpha": a0})
    log_form = inv.evaluate({"R": 2, "N": 1000, "alpha": a0})
    assert abs(at_two - log_form) < mpmath.mpf(10) ** -40
    f = pl.numeric("numpy")
    vals = f(4.0, np.array([1.0, 2.0]), 1000.0, 0.1)
    assert np.isfinite(vals).all() and abs(vals[1] - float(log_form)) < 1e-12
    # just below 2 the closed form is continuous with the limit
    near = pl.evaluate({"c": 4, "q": 2 - sp.Rational(1, 10**12), "N": 1000, "alpha": a0})
    assert abs(near - log_form) < mpmath.mpf(10) ** -9


def test_genuine_singularity_is_an_input_error():
    x = sp.Symbol("x", real=True)
    b = Bound("demo.pole", expr=1 / x, params=(x,), provenance=Provenance("classical", (cite("bhatia1997", "p. 1"),)))
    with pytest.raises(InputError, match="undefined there"):
        b.evaluate({x: 0})


def test_dps_is_capped():
    b, vals = _example("dudley.inverse_square")
    with pytest.raises(InputError, match=r"^dps=10000000"):
        b.evaluate(vals, dps=10**7)
