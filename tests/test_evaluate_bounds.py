"""Evaluation with the real bound families: end to end from weight files to registered Bounds at 50 digits.

Two independent routes meet here. The toolkit's route: weights file -> loader -> NetworkSpectra (LAPACK) ->
``schattheory.bounds.network`` (log space, float64). The reference route: singular values and norms recomputed from
the raw arrays with NumPy, then the registered Bound (or, for 1000 layers, the same registered form summed layer by
layer) evaluated by mpmath at 50 digits, where 3^1000 is an ordinary number.
"""

import json
import math

import mpmath
import numpy as np
import pytest

from schattheory.bounds import family as fam
from schattheory.bounds import network
from schattheory.core import registry
from schattheory.networks.evaluate import evaluate
from schattheory.networks.spectra import NetworkSpectra
from schattheory.networks.synthetic import synthetic_network
from schattheory.numerics.backends import mpmath_evaluator
from schattheory.outputs import cli

N_, B_, GAMMA = 5000, 7.0, 0.75


def _form(family, mode):
    from schattheory.bounds import bartlett2017, ledent2025

    if family == "ledent2025":
        # dense layers: Omega_l = 1, the fc key; the certified explicit form exists for dense layers only
        return ledent2025.FORMS[("cnn", mode)] if mode == "dominant" else ledent2025.FORMS[("fc", "explicit")]
    return {"bartlett2017": bartlett2017.FORMS}[family][mode]


_LAYER_STATS: dict = {}


def _mp_layer_stats(weights, dps):
    """Singular values, Frobenius norms and (2,1) norms of the raw layers at ``dps`` digits, once per network."""
    key = (id(weights), dps)
    if key not in _LAYER_STATS or _LAYER_STATS[key][0] is not weights:
        with mpmath.workdps(dps):
            svals = [
                [mpmath.mpf(float(x)) for x in np.linalg.svd(np.asarray(W, dtype=np.float64), compute_uv=False)]
                for W in weights
            ]
            F = [mpmath.sqrt(mpmath.fsum(x**2 for x in sv)) for sv in svals]
            b = [
                mpmath.fsum(
                    mpmath.sqrt(mpmath.fsum(mpmath.mpf(float(v)) ** 2 for v in row))
                    for row in np.asarray(W, dtype=np.float64)
                )
                for W in weights
            ]
        _LAYER_STATS[key] = (weights, svals, F, b)
    return _LAYER_STATS[key][1:]


def _mp_log10(form, weights, p=None, *, delta=0.01, G=1, XF=None, dps=50):
    """log10 of a registered network form at 50 digits, layer by layer, from the raw weight matrices."""
    with mpmath.workdps(dps + 10):
        svals, F, b = _mp_layer_stats(weights, dps + 10)
        s = [max(sv) for sv in svals]
        P = mpmath.fprod(s)
        widths = [weights[0].shape[1]] + [W.shape[0] for W in weights]
        glob = {
            fam.N: mpmath.mpf(N_),
            fam.B: mpmath.mpf(B_),
            fam.gamma: mpmath.mpf(GAMMA),
            fam.XF: mpmath.mpf(XF if XF is not None else math.sqrt(N_) * B_),
            fam.delta: mpmath.mpf(delta),
            fam.L: mpmath.mpf(len(weights)),
            fam.G: mpmath.mpf(G),
            fam.P: P,
            fam.X: B_ * P / GAMMA,
            fam.h: mpmath.mpf(max(widths)),
            fam.C1: mpmath.mpf(1),
        }
        aggs = {}
        for agg in form.terms():
            syms = tuple(sorted(agg.term.free_symbols, key=lambda x: x.name))
            f = mpmath_evaluator(agg.term, syms)
            vals = []
            for l, (W, sv) in enumerate(zip(weights, svals)):
                pl = mpmath.mpf(p[l] if isinstance(p, (list, tuple)) else p) if p is not None else None
                lay = {
                    fam.s: s[l],
                    fam.F: F[l],
                    fam.b: b[l],
                    fam.U: mpmath.mpf(W.shape[0]),
                    fam.d: mpmath.mpf(W.shape[1]),
                    fam.Omega: mpmath.mpf(1),
                    fam.p: pl,
                    fam.rho: (mpmath.fsum((x / s[l]) ** pl for x in sv if x > 0) if pl else None),
                }
                vals.append(f(*[lay[x] if x in lay else glob[x] for x in syms], dps=dps + 10))
            aggs[agg.symbol] = {"sum": mpmath.fsum, "prod": mpmath.fprod, "max": max}[agg.op](vals)
        osyms = tuple(sorted(sympy_free(form.outer), key=lambda x: x.name))
        out = mpmath_evaluator(form.outer, osyms)(*[aggs[x] if x in aggs else glob[x] for x in osyms], dps=dps + 10)
        return mpmath.log10(out)


def sympy_free(expr):
    import sympy as sp

    return sp.sympify(expr).free_symbols


def _rel(a, b):
    return abs(a - float(b)) / max(1.0, abs(float(b)))


def test_piecewise_reference_is_the_registered_bound():
    """The layer-by-layer 50-digit reference equals Bound.evaluate of the registered L = 3 statement."""
    weights = synthetic_network(3, 5, in_features=4, out_features=3, decay=0.6, seed=3)
    for key, family, mode, p in (
        ("ledent2025.fc.dominant", "ledent2025", "dominant", (0.5, 1.0, 2.0)),
        ("ledent2025.fc.explicit", "ledent2025", "explicit", (0.5, 0.5, 0.5)),
        ("bartlett2017.dominant", "bartlett2017", "dominant", None),
    ):
        bound = registry.get(key)
        names = {x.name: x for x in bound.params}
        vals = {}
        for l, W in enumerate(weights, start=1):
            sv = np.linalg.svd(W, compute_uv=False)
            with mpmath.workdps(60):  # norms of the float64 entries, exactly enough for a 50-digit comparison
                b_l = mpmath.fsum(mpmath.sqrt(mpmath.fsum(mpmath.mpf(float(v)) ** 2 for v in row)) for row in W)
                F_l = mpmath.sqrt(mpmath.fsum(mpmath.mpf(float(x)) ** 2 for x in sv))
            for name, v in (
                (f"s_{l}", sv[0]),
                (f"w_{l}", W.shape[0]),
                (f"w_{l - 1}", W.shape[1]),
                (f"b_{l}", b_l),
                (f"F_{l}", F_l),
            ):
                if name in names:
                    vals[names[name]] = v
            if p is not None:
                vals[names[f"p_{l}"]] = p[l - 1]
                with mpmath.workdps(60):
                    sig = [mpmath.mpf(float(x)) for x in sv]
                    vals[names[f"rho_{l}"]] = +mpmath.fsum((x / sig[0]) ** mpmath.mpf(p[l - 1]) for x in sig)
        for name, v in (("N", N_), ("B", B_), ("gamma", GAMMA), ("delta", 0.01), ("G", 1), ("X_F", math.sqrt(N_) * B_)):
            if name in names:
                vals[names[name]] = v
        mine = _mp_log10(_form(family, mode), weights, p)
        with mpmath.workdps(50):  # arithmetic on mpf happens at the working precision: keep it at 50 digits
            ref = mpmath.log10(bound.evaluate(vals, dps=50))
            assert abs(mine - ref) <= mpmath.mpf(10) ** -40 * abs(ref), key


def test_thousand_layers_match_50_digit_evaluation():
    """1000 layers, spectral norm 3 each (3^1000 ~ 1e477): finite log10 values matching the 50-digit reference."""
    weights = synthetic_network(1000, 4, spectral=3.0, decay=1.0, seed=11)
    ev = evaluate(weights, n=N_, input_norm=B_, margin=GAMMA, ps=(0.5, 8.0))
    doc = json.loads(ev.to_json())
    rows = {(b["family"], b["mode"], b["p_rule"], json.dumps(b["p"])): b for b in doc["bounds"]}
    checked = 0
    for (family, mode, rule, p_text), row in rows.items():
        if family not in ("ledent2025", "bartlett2017"):
            continue
        p = json.loads(p_text)
        G = row["details"].get("grid_size", 1) if rule == "optimised per layer" else 1
        ref = _mp_log10(_form(family, mode), weights, p, G=G)
        assert math.isfinite(row["log10_value"])
        assert _rel(row["log10_value"], ref) <= 1e-9, (family, mode, p_text, row["log10_value"], ref)
        if float(ref) > 308.3:
            assert row["value"] is None
        checked += 1
    # ledent2025 at p = 0.5, 8 and optimised (dominant), at p = 0.5 and optimised (explicit: p < 2 only); bartlett2017
    assert checked == 3 + 2 + 2
    assert all(math.isfinite(b["log10_value"]) for b in doc["bounds"])


def test_cli_end_to_end_from_a_safetensors_file(tmp_path, capsys):
    """Weights file -> CLI JSON -> each ledent2025/bartlett2017 value against the reference from the raw arrays."""
    weights = [w.astype(np.float32) for w in synthetic_network(3, 8, in_features=6, out_features=4, decay=0.5, seed=5)]
    safetensors_numpy = pytest.importorskip(
        "safetensors.numpy", reason="writing the .safetensors file needs the safetensors extra"
    )
    safetensors_numpy.save_file({f"net.{i}.weight": w for i, w in enumerate(weights)}, str(tmp_path / "m.safetensors"))
    assert (
        cli.main(
            [
                "evaluate",
                str(tmp_path / "m.safetensors"),
                "--n",
                str(N_),
                "--input-norm",
                str(B_),
                "--margin",
                str(GAMMA),
                "--p",
                "0.5",
                "--p",
                "1",
                "--json",
                "--dtype",
                "float64",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    for row in doc["bounds"]:
        if row["family"] in ("ledent2025", "bartlett2017") and row["p_rule"] != "optimised per layer":
            ref = _mp_log10(_form(row["family"], row["mode"]), weights, row["p"])
            assert _rel(row["log10_value"], ref) <= 1e-12, row["key"]
    families = {b["family"] for b in doc["bounds"]} | {s["family"] for s in doc["skipped"]}
    assert families == set(network.network_families())


def test_every_family_mode_is_evaluated_or_skipped_with_a_reason(tmp_path):
    rng = np.random.default_rng(0)
    weights = synthetic_network(3, 10, in_features=5, out_features=3, decay=0.8)
    np.savez(tmp_path / "d.npz", X=rng.standard_normal((100, 5)), y=rng.integers(0, 3, 100))
    ev = evaluate(weights, data=tmp_path / "d.npz", margin_percentile=99, ps=(0.5, 1.0))
    seen = {(b["family"], b["mode"]) for b in ev.bounds} | {(s["family"], s["mode"]) for s in ev.skipped}
    assert seen == {(f, m) for f in network.network_families() for m in ("dominant", "explicit")}
    assert all(s["reason"] for s in ev.skipped)
    # the loss-augmented family gets its activation norms from the forward pass
    assert any(b["family"] == "ledent2025.loss_augmented" for b in ev.bounds)
    # plumbing: the rows are exactly what the API returns on the same statistics
    for b in ev.bounds:
        if b["p_rule"] == "fixed":
            v = network.evaluate_network(ev.stats, b["family"], b["mode"], b["p"])
            assert v.log10_value == b["log10_value"]


def test_plots_with_real_bounds(tmp_path):
    weights = synthetic_network(3, 10, decay=0.8)
    ev = evaluate(weights, n=1000, input_norm=1.0, margin=0.5)
    names = sorted(p.rsplit("/", 1)[1] for p in ev.plot(tmp_path, formats=("png",)))
    assert names == ["bound_vs_p.png", "rank_proxy.png", "spectra.png"]


def test_gram_and_svd_agree_on_bounds_for_well_conditioned_layers():
    weights = synthetic_network(4, 64, decay=0.5, dtype=np.float32)
    a = evaluate(weights, n=1000, input_norm=1.0, margin=0.5, ps=(1.0,))
    b = evaluate(weights, n=1000, input_norm=1.0, margin=0.5, ps=(1.0,), method="gram")
    for x, y in zip(a.bounds, b.bounds):
        assert x["key"] == y["key"] and abs(x["log10_value"] - y["log10_value"]) < 1e-5
    assert NetworkSpectra.from_model(weights, method="gram").gram_warnings([0.1]) == []
