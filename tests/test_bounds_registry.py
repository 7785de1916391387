"""Every bound registered by schattheory.bounds: provenance, exactness, both backends, LaTeX, required keys."""

import math
import zlib

import mpmath
import numpy as np
import pytest
import sympy as sp

from schattheory.core import registry
from schattheory.foundation.provenance import Status

PREFIXES = (
    "ledent2025.",
    "bartlett2017.",
    "neyshabur2018.",
    "golowich2018.",
    "counting.",
    "vc.",
    "pinto2024.",
    "pac_bayes.",
    "arora2018.",
)
KEYS = [k for k in registry.keys() if k.startswith(PREFIXES)]

REQUIRED = [
    "ledent2025.fc.dominant",
    "ledent2025.fc.explicit",
    "ledent2025.cnn.dominant",
    "ledent2025.main",
    "ledent2025.loss_augmented.dominant",
    "ledent2025.per_layer",
    "ledent2025.square.dominant",
    "ledent2025.fc_wl_width.dominant",
    "ledent2025.square_wl_width.dominant",
    "bartlett2017.dominant",
    "bartlett2017.explicit",
    "neyshabur2018.dominant",
    "golowich2018.thm1",
    "golowich2018.thm2",
    "counting.graf2022.explicit",
    "counting.dominant",
    "vc.bhlm2019.vcdim",
    "vc.bhlm2019.dominant",
    "vc.bhlm2019.explicit",
    "pinto2024.dominant",
    "pac_bayes.mcallester",
    "pac_bayes.seeger_maurer",
    "arora2018.explicit",
]


def test_required_keys_are_registered():
    missing = [k for k in REQUIRED if k not in KEYS]
    assert not missing


@pytest.mark.parametrize("key", KEYS)
def test_provenance_has_status_and_locator(key):
    b = registry.get(key)
    assert b.provenance.citations, key
    assert all(c.locator for c in b.provenance.citations), f"{key}: every citation needs a locator"
    # nothing transcribed or reconstructed may pass as the paper's own statement
    assert b.status is not Status.PAPER


@pytest.mark.parametrize("key", [k for k in KEYS if k.startswith("ledent2025.")])
def test_ledent_forms_never_claim_more_than_transcribed(key):
    b = registry.get(key)
    if b.mode == "explicit":
        # the certified explicit bound is derived here (proofs/main_bound), never attributed to the paper
        assert b.status is Status.DERIVED and "not the paper's" in b.provenance.note.lower()
        assert "certified" in b.notes
        return
    assert b.status in (Status.TRANSCRIBED, Status.RECONSTRUCTED)
    if b.status is Status.TRANSCRIBED:
        assert "reconstructed" in b.provenance.note.lower(), "the margin placement must be flagged"


@pytest.mark.parametrize("key", KEYS)
def test_expressions_are_exact(key):
    b = registry.get(key)
    for part in (b.expr, *(lim.value for lim in b.limits), *(v for _, v in b.example)):
        assert not sp.sympify(part).atoms(sp.Float), key


@pytest.mark.parametrize("key", KEYS)
def test_numpy_and_mpmath_agree_at_the_example_and_nearby(key):
    b = registry.get(key)
    ex = b.example_values
    args = [ex[s] for s in b.params]
    f_np, f_mp = b.numeric("numpy"), b.numeric("mpmath")
    rng = np.random.default_rng(zlib.crc32(key.encode()))
    for scale in (1.0, *rng.uniform(0.8, 1.25, size=3)):
        pt = [a * sp.Rational(scale).limit_denominator(1000) if not s.is_integer else a for a, s in zip(args, b.params)]
        if any(c.subs(dict(zip(b.params, pt))) == sp.false for c in b.assumptions):
            continue
        v_np = float(f_np(*[float(x) for x in pt]))
        v_mp = f_mp(*pt, dps=50)
        assert math.isfinite(v_np)
        assert abs(v_np - float(v_mp)) <= 1e-11 * max(1.0, abs(float(v_mp))), (key, pt)
        # and Bound.evaluate (the independent 50-digit path) gives the same
        assert abs(b.evaluate(dict(zip(b.params, pt))) - v_mp) <= mpmath.mpf(10) ** -40 * max(1, abs(v_mp))


@pytest.mark.parametrize("key", KEYS)
def test_latex_renders(key):
    tex = registry.get(key).latex()
    assert tex and "\\" in tex


@pytest.mark.parametrize("key", [k for k in KEYS if registry.get(k).kind == "bound"])
def test_bounds_name_their_mode(key):
    assert registry.get(key).mode in ("dominant", "explicit")


def test_dominant_and_explicit_exist_where_the_sources_give_both():
    for fam in ("ledent2025.fc", "bartlett2017", "vc.bhlm2019", "arora2018"):
        assert f"{fam}.dominant" in KEYS and f"{fam}.explicit" in KEYS, fam
    # no certified explicit form for convolutional layers or W_l = w_l: dominant only, never a false explicit one
    for fam in ("ledent2025.cnn", "ledent2025.fc_wl_width", "ledent2025.cnn_wl_width"):
        assert f"{fam}.dominant" in KEYS and f"{fam}.explicit" not in KEYS, fam


def test_ledent_main_alias_is_the_transcribed_theorem_36_dominant_form():
    main, cnn = registry.get("ledent2025.main"), registry.get("ledent2025.cnn.dominant")
    assert main.expr == cnn.expr and main.params == cnn.params and main.status is Status.TRANSCRIBED
    assert "alias of ledent2025.cnn.dominant" in main.title and "not a bound" in main.title


@pytest.mark.parametrize(
    "key",
    [
        k
        for k in KEYS
        if k.startswith("ledent2025.") and k != "ledent2025.per_layer" and not k.startswith("ledent2025.square")
    ],
)
def test_ledent_bounds_carry_their_real_assumptions(key):
    from schattheory.foundation.errors import InputError

    b = registry.get(key)
    names = {s.name: s for s in b.params}
    text = {str(a) for a in b.assumptions}
    assert {"rho_1 >= 1", "rho_2 >= 1", "rho_3 >= 1"} <= text, key
    if b.mode == "explicit":
        assert {"p_1 < 2", "delta < 1", "N >= 2"} <= text
    ex = dict(b.example_values)
    for name, bad in (("rho_1", sp.Rational(1, 2)), ("p_1", -1)) + ((("p_1", 2),) if b.mode == "explicit" else ()):
        with pytest.raises(InputError):
            b.evaluate({**ex, names[name]: bad})
