"""The network evaluator (schattheory.bounds.network): numbers from the registered expressions, in log space."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from schattheory.bounds.network import (
    NetworkBoundValue,
    default_p_grid,
    evaluate_network,
    ledent_layer_terms_log10,
    network_families,
    optimise_ledent_p,
)
from schattheory.core import registry
from schattheory.foundation.errors import InputError
from schattheory.foundation.netstats import DataStats, LayerStats, NetworkStats
from schattheory.numerics.stable import rank_proxy

DATA = DataStats(n=5000, input_norm=7.0, data_frobenius=300.0, margin=0.75)


def _net(seed=0, widths=(12, 10, 8, 6), conv=False, data=DATA, extras=None):
    rng = np.random.default_rng(seed)
    lays = []
    for l in range(len(widths) - 1):
        A = rng.normal(size=(widths[l + 1], widths[l])) @ np.diag(rng.uniform(0.2, 1.5, widths[l]))
        mult = 4 if conv else 1
        lays.append(LayerStats.from_matrix(f"layer{l}", A, multiplicity=mult))
    return NetworkStats(tuple(lays), data, extras=extras or {})


def _values_for(bound, net, p=None, delta=0.01, grid_size=1):
    """The registered L = 3 statement's inputs, computed from the network statistics (an independent route)."""
    names = {s.name: s for s in bound.params}
    vals = {}
    for l, lay in enumerate(net.layers, start=1):
        pl = p[l - 1] if isinstance(p, (list, tuple)) else p
        for name, value in (
            (f"s_{l}", lay.spectral),
            (f"F_{l}", lay.frobenius),
            (f"b_{l}", lay.norm21),
            (f"w_{l}", lay.out_features),
            (f"w_{l - 1}", lay.in_features),
            (f"U_{l}", lay.out_features),
            (f"d_{l - 1}", lay.in_features),
            (f"Omega_{l}", lay.multiplicity),
            (f"rank_{l}", lay.rank),
            (f"p_{l}", pl),
        ):
            if name in names and value is not None:
                vals[names[name]] = sp.Float(repr(float(value)), 30) if isinstance(value, float) else value
        if f"rho_{l}" in names:
            with mpmath.workdps(60):
                sig = [mpmath.mpf(float(x)) for x in lay.sigma if x > 0]
                vals[names[f"rho_{l}"]] = sp.Float(str(rank_proxy(sig, mpmath.mpf(pl))), 55)
        if f"B_A{l - 1}" in names:
            vals[names[f"B_A{l - 1}"]] = net.extras["activation_norms"][l - 1]
    glob = {
        "N": DATA.n,
        "B": DATA.input_norm,
        "gamma": DATA.margin,
        "X_F": DATA.data_frobenius,
        "delta": delta,
        "G": grid_size,
        "C_1": 1,
        "K": DATA.num_classes,
    }
    for name, value in glob.items():
        if name in names:
            vals[names[name]] = sp.nsimplify(value) if name != "N" else value
    return vals


CASES = [
    ("ledent2025", "dominant", 0.5),
    ("ledent2025", "explicit", 0.5),
    ("ledent2025", "dominant", (0.3, 1.0, 2.5)),
    ("ledent2025.wl_width", "dominant", 1.5),
    ("ledent2025", "explicit", (0.3, 1.0, 1.9)),
    ("bartlett2017", "dominant", None),
    ("bartlett2017", "explicit", None),
    ("neyshabur2018", "dominant", None),
    ("golowich2018", "dominant", None),
    ("counting", "dominant", None),
    ("counting", "explicit", None),
    ("vc", "dominant", None),
    ("vc", "explicit", None),
    ("pinto2024", "dominant", None),
]


@pytest.mark.parametrize("family,mode,p", CASES)
def test_network_value_equals_registered_bound_at_50_digits(family, mode, p):
    """The log-space float64 evaluator and Bound.evaluate (direct, 50 digits) agree on a 3-layer network."""
    net = _net(1)
    v = evaluate_network(net, family, mode, p)
    bound = registry.get(v.key)
    ref = bound.evaluate(_values_for(bound, net, p), dps=50)
    with mpmath.workdps(50):
        ref10 = mpmath.log10(ref)
    assert abs(v.log10_value - float(ref10)) <= 1e-12 * max(1.0, abs(float(ref10))), (v.key, v.log10_value, ref10)
    assert v.value == pytest.approx(float(ref), rel=1e-11)


def test_cnn_key_and_multiplicity():
    net = _net(2, conv=True)
    v = evaluate_network(net, "ledent2025", "dominant", 0.8)
    assert v.key == "ledent2025.cnn.dominant"
    bound = registry.get(v.key)
    ref = bound.evaluate(_values_for(bound, net, 0.8), dps=50)
    assert v.value == pytest.approx(float(ref), rel=1e-11)


def test_loss_augmented_needs_activation_norms_and_matches_the_registered_form():
    with pytest.raises(InputError, match="activation_norms"):
        evaluate_network(_net(3), "ledent2025.loss_augmented", p=0.5)
    net = _net(3, extras={"activation_norms": [7.0, 3.5, 2.0]})
    v = evaluate_network(net, "ledent2025.loss_augmented", "dominant", 0.5)
    bound = registry.get(v.key)
    ref = bound.evaluate(_values_for(bound, net, 0.5), dps=50)
    assert v.value == pytest.approx(float(ref), rel=1e-11)
    # replacing B prod_{i<l} s_i by smaller activation norms can only lower the bound
    assert v.log10_value <= evaluate_network(net, "ledent2025", "dominant", 0.5).log10_value


def test_thousand_layers_of_spectral_norm_three_do_not_overflow():
    """log10 of the 1000-layer bound matches a 50-digit mpmath evaluation written out by hand."""
    sig = np.array([3.0, 1.0, 0.5])
    lay = LayerStats("l", (3, 3), sig, norm21=4.0)
    net = NetworkStats((lay,) * 1000, DataStats(n=1000, input_norm=2.0, data_frobenius=50.0, margin=0.5))
    p = 8.0  # (3^1000)^(2p/(p+2)) = 3^1600 ~ 1e763, its square root still beyond float64
    v = evaluate_network(net, "ledent2025", "dominant", p)
    assert v.value is None and math.isfinite(v.log10_value)
    with mpmath.workdps(50):
        P = mpmath.mpf(p)
        X = mpmath.mpf(2) * mpmath.mpf(3) ** 1000 / mpmath.mpf("0.5")
        rho = 1 + (mpmath.mpf(1) / 3) ** P + (mpmath.mpf("0.5") / 3) ** P
        C = X ** (2 * P / (P + 2)) * rho ** (2 / (P + 2)) * mpmath.mpf(6) ** (2 / (P + 2))
        ref = mpmath.log10(mpmath.sqrt(1000 * 1000 * C / 1000))
    assert abs(v.log10_value - float(ref)) <= 1e-9 * abs(float(ref))
    for fam_ in ("bartlett2017", "neyshabur2018", "golowich2018", "counting", "vc", "pinto2024"):
        for mode in ("dominant", "explicit"):
            try:
                w = evaluate_network(net, fam_, mode)
            except InputError:
                continue
            assert math.isfinite(w.log10_value), (fam_, mode)
    assert math.isfinite(optimise_ledent_p(net, mode="explicit").log10_value)


def test_layer_terms_broadcast_scalar_grid_and_per_layer():
    net = _net(4)
    one = ledent_layer_terms_log10(net, 0.5)
    assert one.shape == (3,)
    grid = np.array([0.25, 0.5, 2.0])
    many = ledent_layer_terms_log10(net, grid)
    assert many.shape == (3, 3)
    np.testing.assert_allclose(many[1], one, rtol=1e-13)
    per = ledent_layer_terms_log10(net, np.array([[0.25, 0.5, 2.0]]))
    np.testing.assert_allclose(per[0], [many[0, 0], many[1, 1], many[2, 2]], rtol=1e-13)
    # the per-layer summand by hand: (B prod s/gamma)^(2p/(p+2)) r(p)^(2/(p+2)) (w_l + w_{l-1})^(2/(p+2))
    lay = net.layers[1]
    X = DATA.input_norm * np.prod([x.spectral for x in net.layers]) / DATA.margin
    r = np.sum((lay.sigma / lay.sigma[0]) ** 0.5)
    hand = (2 * 0.5 / 2.5) * np.log10(X) + (2 / 2.5) * np.log10(r * (lay.out_features + lay.in_features))
    assert one[1] == pytest.approx(hand, rel=1e-13)


def test_grid_sweep_is_vectorised_and_consistent():
    net = _net(5)
    grid = np.linspace(0.01, 8, 10**4)
    terms = ledent_layer_terms_log10(net, grid)
    assert terms.shape == (10**4, 3) and np.all(np.isfinite(terms))


def test_optimised_p_is_the_per_layer_argmin_on_the_grid():
    net = _net(6)
    grid = default_p_grid()
    assert grid.size == 46 and np.all((grid[:41] > 0) & (grid[:41] <= 2)) and grid[-1] > 2
    v = optimise_ledent_p(net)
    brute = min(
        (evaluate_network(net, "ledent2025", "dominant", (a, b, c)).log10_value, (a, b, c))
        for a in grid[::5]
        for b in grid[::5]
        for c in grid[::5]
    )
    assert v.log10_value <= brute[0] + 1e-12
    fixed = evaluate_network(net, "ledent2025", "dominant", v.p)
    assert fixed.log10_value == pytest.approx(v.log10_value, abs=1e-12)
    assert evaluate_network(net, "ledent2025").p == v.p  # p=None means optimised


def test_explicit_optimisation_pays_the_union_bound_over_the_grid():
    net = _net(7)
    grid = default_p_grid()
    grid = grid[grid < 2]  # the certified explicit form holds for p < 2: the union is over those values
    v = optimise_ledent_p(net, mode="explicit")
    assert max(v.p) < 2 and v.details["grid_size"] == grid.size and "certified" in v.details["certified"]
    same_p_fixed = evaluate_network(net, "ledent2025", "explicit", v.p)
    assert v.log10_value > same_p_fixed.log10_value
    # the difference is exactly the L ln|grid| inside the confidence term
    bound = registry.get("ledent2025.fc.explicit")
    with_grid = bound.evaluate(_values_for(bound, net, list(v.p), grid_size=grid.size), dps=50)
    assert v.value == pytest.approx(float(with_grid), rel=1e-11)


def test_families_needing_data_name_what_is_missing():
    net = _net(8, data=None)
    for family in network_families():
        with pytest.raises(InputError, match="needs"):
            evaluate_network(net, family, p=0.5 if family.startswith("ledent") else None)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(family="nope"), "unknown"),
        (dict(family="neyshabur2018", mode="explicit"), "no explicit"),
        (dict(family="counting", p=0.5), "only ledent2025"),
        (dict(family="ledent2025", p=-1.0), "p="),
        (dict(family="ledent2025", p=(0.5, 1.0)), "one value per layer"),
        (dict(family="ledent2025", mode="x"), "mode"),
    ],
)
def test_bad_arguments_raise_one_clear_error(kwargs, match):
    with pytest.raises(InputError, match=match):
        evaluate_network(_net(9), **kwargs)


def test_value_dataclass_contract():
    v = evaluate_network(_net(10), "counting")
    assert isinstance(v, NetworkBoundValue) and v.family == "counting" and v.p is None and v.mode == "dominant"
    assert v.details["status"] == "transcribed"
    assert v.value == pytest.approx(10**v.log10_value)
    # the dominant parameter count by hand: sqrt(L sum w_l w_{l-1} / N)
    assert v.value == pytest.approx(math.sqrt(3 * (12 * 10 + 10 * 8 + 8 * 6) / 5000), rel=1e-13)


def test_explicit_main_bound_is_certified_or_says_dominant_form_only():
    net = _net(11)
    v = evaluate_network(net, "ledent2025", "explicit", 0.5)
    assert v.details["certified"].startswith("certified bound")
    assert evaluate_network(net, "ledent2025", "dominant", 0.5).details["certified"].startswith("dominant form only")
    with pytest.raises(InputError, match="p < 2"):
        evaluate_network(net, "ledent2025", "explicit", 2.0)
    for family in ("ledent2025.wl_width", "ledent2025.loss_augmented"):
        with pytest.raises(InputError, match="dominant form only"):
            evaluate_network(net, family, "explicit", 0.5)
    with pytest.raises(InputError, match="dominant form only"):
        evaluate_network(_net(12, conv=True), "ledent2025", "explicit", 0.5)
