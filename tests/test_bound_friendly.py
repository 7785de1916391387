"""Friendly construction and safe input: numbers coerced, shared values dicts, symbols matched by name, strings in
limit()/subs() parsed without evaluating code, docstrings on the public classes."""

from fractions import Fraction

import pytest
import sympy as sp

from schattheory.core import registry
from schattheory.core.bound import Bound, BoundError, Limit
from schattheory.foundation.errors import InputError
from schattheory.foundation.provenance import Provenance, cite
from schattheory.foundation.symbols import L, N, W

PROV = Provenance("classical", (cite("bhatia1997", "p. 1"),))


def test_python_numbers_in_example_and_limits_are_coerced():
    x = sp.Symbol("x", positive=True)
    b = Bound(
        "user.ints",
        expr=x / (1 + x),
        params=(x,),
        provenance=PROV,
        example={x: 3},
        limits=(Limit(x, float("inf"), 1), Limit(x, 0, Fraction(0, 1))),
    )
    assert b.check() is b  # an int in example used to crash check()
    assert dict(b.example)[x] == sp.Integer(3) and isinstance(dict(b.example)[x], sp.Integer)
    assert b.limits[0].point is sp.oo and b.limits[1].value == 0
    assert Bound("user.float", expr=x, params=(x,), provenance=PROV, example={x: 0.5}).example_values[x] == sp.Rational(
        1, 2
    )


def test_one_values_dict_shared_across_bounds():
    a, b = registry.get("dudley.inverse_square"), registry.get("covering.low_rank")
    shared = {"R": 1, "N": 1000, "alpha": sp.Rational(1, 10), "m": 3, "d": 2, "r": 1, "epsilon": sp.Rational(1, 2)}
    with pytest.raises(InputError, match="ignore_unused=True"):
        a.evaluate(shared)  # strict by default
    assert a.evaluate(shared, ignore_unused=True) == a.evaluate({k: shared[k] for k in ("R", "N", "alpha")})
    assert b.evaluate(shared, ignore_unused=True) > 0


def test_user_symbol_matched_by_name():
    w_user, l_user = sp.symbols("W L")
    b = Bound(
        "user.width",
        expr=l_user * w_user / sp.sqrt(N),
        params=(w_user, l_user, N),
        provenance=PROV,
        example={"W": 4, "L": 3, "N": 100},
    )
    assert b.params == (W, L, N) and b.expr == L * W / sp.sqrt(N)  # the toolkit's integer W and L
    assert (b.expr - L * W / sp.sqrt(N)) == 0
    assert b.evaluate({w_user: 4, l_user: 3, N: 100}) == b.evaluate({"W": 4, "L": 3, "N": 100})
    bad = sp.Symbol("W", negative=True)
    with pytest.raises(BoundError, match="differ from the toolkit's W"):
        Bound("user.badw", expr=bad, params=(bad,), provenance=PROV)


@pytest.mark.parametrize(
    "payload",
    [
        "__import__('os').system('touch /tmp/pwned_schattheory')",
        "(lambda: 1)()",
        "p.__class__",
        "[1][0]",
        "1 if 1 else 2",
        "2**10**10**10",
    ],
)
def test_limit_and_subs_never_evaluate_strings(payload, tmp_path):
    b = registry.get("balancing.constant")
    with pytest.raises(InputError):
        b.limit("p", payload, timeout=1)
    with pytest.raises(InputError):
        b.subs({"p": payload})


def test_limit_and_subs_accept_safe_strings_numbers_and_sympy():
    b = registry.get("dudley.power_law.alpha0")
    assert b.limit("q", "0", timeout=10).value == b.limit("q", 0, timeout=10).value
    s = b.subs({"q": "1/2"})
    assert s.expr == b.expr.subs(sp.Symbol("q", positive=True), sp.Rational(1, 2))
    assert b.subs({"q": Fraction(1, 2)}).expr == s.expr == b.subs({"q": 0.5}).expr
    with pytest.raises(InputError, match="not a parameter"):
        b.subs({"zzz": 1})
    with pytest.raises(InputError, match="unknown name"):
        b.subs({"q": "zzz + 1"})


def test_public_classes_have_docstrings():
    from schattheory.core.derivation import Derivation, Relax, Step, UseLemma

    for cls in (Bound, Limit, Derivation, Step, Relax, UseLemma):
        # not the signature dataclasses write when a class has no docstring of its own
        assert cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}(") and len(cls.__doc__) > 60, cls
