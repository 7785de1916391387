"""``evaluate(method="randomized", top_k=K)``: every bound it reports is at least the exact path's value of the same
bound, every exact layer figure lies in the reported interval, a family that is not nondecreasing in what it reads
is refused, and bad input fails in one line. The exact path (SVD) is the independent route."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp

from schattheory.bounds import family as fam
from schattheory.bounds.custom import network_bound
from schattheory.bounds.monotone import direction, interval_refusal
from schattheory.bounds.network import evaluate_network, network_form
from schattheory.foundation.errors import InputError
from schattheory.foundation.netstats import DataStats
from schattheory.networks.evaluate import evaluate
from schattheory.networks.spectra import NetworkSpectra
from schattheory.networks.synthetic import random_orthogonal

STATS = dict(n=1000, input_norm=3.0, margin=1.0, biases=False)


def _layer(m, n, spectrum, rng):
    r = min(m, n)
    s = np.zeros(r)
    s[: len(spectrum)] = spectrum
    U, V = random_orthogonal(m, rng)[:, :r], random_orthogonal(n, rng)[:, :r]
    return (U * s) @ V.T


def _net(kind, seed=0):
    """Three chained layers (24 -> 40 -> 32 -> 6) whose spectra are the adversarial case ``kind``."""
    rng = np.random.default_rng(seed)
    shapes = [(40, 24), (32, 40), (6, 32)]
    out = []
    for m, n in shapes:
        r = min(m, n)
        s = {
            "gaussian": None,
            "repeated": np.r_[[3.0] * 4, [1.0] * (r - 4)],  # repeated singular values
            "rank2": np.r_[[5.0, 0.5]],  # rank-deficient, zeros, k >= rank
            "flat": np.ones(r),  # every value repeated
            "tiny": 1e-150 * np.linspace(3, 1, r),
            "huge": 1e150 * np.linspace(3, 1, r),
            "decaying": 2.0 * np.arange(1, r + 1) ** -2.0,
        }[kind]
        out.append(rng.standard_normal((m, n)) / math.sqrt(n) if s is None else _layer(m, n, s, rng))
    return out


def _label(b):
    return b["key"], b["mode"], "opt" if b["p_rule"] == "optimised per layer" else b["p"]


@pytest.mark.parametrize(
    "kind,k", [("gaussian", 5), ("repeated", 1), ("rank2", 3), ("flat", 4), ("tiny", 6), ("huge", 6), ("decaying", 32)]
)
def test_every_bound_from_intervals_is_at_least_the_exact_one(kind, k):
    net = _net(kind)
    exact = evaluate(net, **STATS)
    rand = evaluate(net, method="randomized", top_k=k, **STATS)
    assert rand.to_dict()["method"] == "randomized" and rand.spectra.certified
    got = {_label(b): b for b in rand.bounds}
    skipped = {(s["family"], s["mode"]) for s in rand.skipped}
    compared = 0
    for b in exact.bounds:
        r = got.get(_label(b))
        if r is None:  # not reported from intervals: skipped, with its reason
            assert (b["family"], b["mode"]) in skipped, _label(b)
            continue
        assert r["log10_value"] >= b["log10_value"] - 1e-9, (_label(b), r["log10_value"], b["log10_value"])
        kind_of = r["value_kind"]
        assert kind_of in ("exact", "certified upper bound from a randomized top-k")
        if kind_of == "exact":  # reads no spectral quantity: the same number
            assert r["log10_value"] == pytest.approx(b["log10_value"], rel=1e-12, abs=1e-12)
        compared += 1
    assert compared >= 15
    assert any(b["family"] == "ledent2025" and b["value_kind"].startswith("certified") for b in rand.bounds)
    assert all(b["value_kind"] == "exact" for b in exact.bounds)
    pinto = [s for s in rand.skipped if s["family"] == "pinto2024" and s["mode"] == "dominant"]
    assert pinto and "rank" in pinto[0]["reason"]


@pytest.mark.parametrize("kind,k", [("gaussian", 3), ("rank2", 2), ("repeated", 1), ("huge", 7), ("tiny", 7)])
def test_exact_layer_values_lie_in_the_reported_intervals(kind, k):
    net = _net(kind, seed=3)
    ps = (0.5, 1.0, 2.0, 3.0)
    rows = json.loads(evaluate(net, method="randomized", top_k=k, ps=ps, **STATS).to_json())["layers"]
    for A, row in zip(net, rows):
        iv = row["intervals"]
        assert row["spectral"] is None and row["rank"] is None and set(row["rank_proxy"].values()) == {None}
        sig = np.linalg.svd(A, compute_uv=False)
        exact_lay = NetworkSpectra.from_model([A]).layers[0]
        tol = 1e-12
        for name, value in (
            ("spectral", sig[0]),
            ("frobenius", math.sqrt(np.sum((sig / sig[0]) ** 2)) * sig[0]),
            ("nuclear", np.sum(sig / sig[0]) * sig[0]),
        ):
            lo, hi = iv[name]
            assert lo * (1 - tol) <= value <= hi * (1 + tol), (name, lo, value, hi)
        for p in ps:
            lo, hi = iv["rank_proxy"][f"{p:g}"]
            full = float(np.sum((sig[sig > 0] / sig[0]) ** p))
            for value in (full, exact_lay.rank_proxy(p)):  # the whole spectrum, and the exact path's convention
                assert lo * (1 - tol) <= value <= hi * (1 + tol), (p, lo, value, hi)
            if p <= 2:
                lo, hi = iv["schatten"][f"{p:g}"]
                value = sig[0] * np.sum((sig[sig > 0] / sig[0]) ** p) ** (1 / p)
                assert lo * (1 - tol) <= value <= hi * (1 + tol)
        assert len(iv["top_k_lower"]) == iv["k"] == min(k, *A.shape)


def _stats(net, k):
    spectra = NetworkSpectra.from_model(net, method="randomized", top_k=k, biases=False)
    return spectra.to_netstats(DataStats(n=1000, input_norm=3.0, data_frobenius=90.0, margin=1.0))


def test_a_family_decreasing_in_a_norm_is_refused():
    net = _net("gaussian")
    stats = _stats(net, 4)
    F, s, N = fam.F, fam.s, fam.N
    bad = network_bound(
        "approx_test.inverse_frobenius", terms={"S": 1 / F}, outer=sp.sqrt(sp.Symbol("S") / N), register=False
    )
    with pytest.raises(InputError, match="not evaluated from certified intervals: .*Frobenius"):
        evaluate_network(stats, bad)
    # a term decreasing in s with nothing in the outer expression to pay for it
    ratio = network_bound(
        "approx_test.ratio", terms={"S": F**2 / s**2}, outer=sp.sqrt(sp.Symbol("S") / N), register=False
    )
    with pytest.raises(InputError, match="decrease in s"):
        evaluate_network(stats, ratio)
    # the same term paid for by P (Neyshabur et al.'s shape): accepted, and at least its exact value
    paid = network_bound(
        "approx_test.paid", terms={"S": F**2 / s**2}, outer=fam.P * sp.sqrt(sp.Symbol("S") / N), register=False
    )
    exact_stats = NetworkSpectra.from_model(net, biases=False).to_netstats(stats.data)
    assert evaluate_network(stats, paid).log10_value >= evaluate_network(exact_stats, paid).log10_value - 1e-12
    # the rank has no interval; the exact statistics still evaluate every one of them
    rank = network_bound("approx_test.rank", terms={"S": fam.k}, outer=sp.Symbol("S") / N, register=False)
    with pytest.raises(InputError, match="rank"):
        evaluate_network(stats, rank)
    for form in (bad, ratio, rank):
        assert math.isfinite(evaluate_network(exact_stats, form).log10_value)


def test_monotonicity_checks_on_the_built_in_forms_and_by_hand():
    x, y = sp.symbols("x y", positive=True)
    assert direction(x**2 + y, x) == 1 and direction(1 / (x + y), x) == -1 and direction(y, x) == 0
    assert direction(sp.sin(x), x) is None and direction(x - x**2, x) is None
    assert direction(sp.log(x) * sp.log(y), x) is None  # a factor of unknown sign
    for family, mode in (
        ("ledent2025", "dominant"),
        ("ledent2025", "explicit"),
        ("bartlett2017", "explicit"),
        ("neyshabur2018", "dominant"),
        ("golowich2018", "dominant"),
        ("counting", "explicit"),
    ):
        form = network_form(family, mode)
        assert interval_refusal(form, 0.5 if form.uses_p else None) is None, (family, mode)
    assert "rank" in interval_refusal(network_form("pinto2024"))


def test_bad_input_is_one_line():
    net = _net("gaussian")
    for kwargs, arg in (
        ({"top_k": 0}, "k=0"),
        ({"top_k": 2.5}, "k=2.5"),
        ({"top_k": 41}, "k=41"),
        ({"top_k": "3"}, "k='3'"),
        ({}, "top-k=None"),
        ({"top_k": True}, "k=True"),
    ):
        with pytest.raises(InputError, match=f"^{arg}") as err:
            evaluate(net, method="randomized", **kwargs, **STATS)
        assert "\n" not in str(err.value)
    with pytest.raises(InputError, match="^top-k=4: applies to --method randomized only"):
        evaluate(net, top_k=4, **STATS)
    with pytest.raises(InputError, match="^plot="):
        evaluate(net, method="randomized", top_k=4, **STATS).plot("unused_directory")


def test_cli_randomized_json_and_exit_codes(tmp_path, capsys):
    from schattheory.outputs.cli import main

    net = _net("decaying", seed=1)
    path = tmp_path / "net.npz"
    np.savez(path, **{f"layer{i}": w for i, w in enumerate(net)})
    base = ["evaluate", str(path), "--n", "1000", "--input-norm", "3", "--margin", "1", "--quiet"]
    assert main(base + ["--method", "randomized", "--top-k", "4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "randomized" and out["top_k"] == 4 and out["log10_spectral_product"] is None
    lo, hi = out["log10_spectral_product_interval"]
    exact = sum(math.log10(np.linalg.svd(w, compute_uv=False)[0]) for w in net)
    assert lo - 1e-12 <= exact <= hi + 1e-12
    assert {b["value_kind"] for b in out["bounds"]} == {"exact", "certified upper bound from a randomized top-k"}
    assert main(base + ["--method", "randomized", "--top-k", "4"]) == 0
    text = capsys.readouterr().out
    assert "certified upper bound from a randomized top-k" in text and "certified upper (top-k)" in text
    assert main(base + ["--method", "randomized", "--top-k", "4", "--csv"]) == 0
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    layers = [r for r in rows if r["kind"] == "layer"]
    assert all(r["spectral"] == "" and float(r["spectral_lower"]) <= float(r["spectral_upper"]) for r in layers)
    assert {r["value_kind"] for r in rows if r["kind"] == "bound"} == {
        "exact",
        "certified upper bound from a randomized top-k",
    }
    for extra in (
        ["--method", "randomized"],
        ["--method", "randomized", "--top-k", "0"],
        ["--method", "randomized", "--top-k", "1.5"],
        ["--top-k", "3"],
        ["--method", "randomized", "--top-k", "3", "--plot", str(tmp_path / "plots")],
    ):
        try:
            code = main(base + extra)
        except SystemExit as ex:  # argparse's own errors (a non-integer --top-k)
            code = ex.code
        assert code == 2, extra
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err, (extra, err)
    assert not (tmp_path / "plots").exists()


def test_checkpoint_path_gives_the_same_intervals_and_resumes_from_its_cache(tmp_path):
    """evaluate_checkpoint(method="randomized") on a sharded folder: the in-order path's numbers (same seed, same
    intervals), bounds >= the exact checkpoint run's, and a rerun reads the intervals back from the cache."""
    pytest.importorskip("ml_dtypes", reason="safetensors checkpoints need ml_dtypes (extra 'checkpoints')")
    from schattheory.networks.checkpoint_eval import evaluate_checkpoint
    from schattheory.networks.synthetic_checkpoint import write_checkpoint

    net = _net("decaying", seed=5)
    tensors = {f"net.{2 * i}.weight": w.astype(np.float32) for i, w in enumerate(net)}
    write_checkpoint(tmp_path / "ckpt", tensors, dtype="float32", shards=2)
    data = dict(n=1000, input_norm=3.0, margin=1.0)
    kw = dict(n_jobs=1, cache=tmp_path / "cache", **data)
    first = evaluate_checkpoint(tmp_path / "ckpt", method="randomized", top_k=5, **kw)
    again = evaluate_checkpoint(tmp_path / "ckpt", method="randomized", top_k=5, **kw)
    assert [m["computed"] for m in first.spectra.info] == [True] * 3
    assert [m["computed"] for m in again.spectra.info] == [False] * 3
    assert first.to_dict()["layers"] == again.to_dict()["layers"]
    assert [b["log10_value"] for b in first.bounds] == [b["log10_value"] for b in again.bounds]
    inorder = evaluate([w.astype(np.float32) for w in net], method="randomized", top_k=5, **data)
    assert [r["intervals"] for r in first.to_dict()["layers"]] == [r["intervals"] for r in inorder.to_dict()["layers"]]
    exact = {_label(b): b["log10_value"] for b in evaluate_checkpoint(tmp_path / "ckpt", n_jobs=1, **data).bounds}
    assert first.bounds and all(b["log10_value"] >= exact[_label(b)] - 1e-9 for b in first.bounds)
    assert all(b["value_kind"] in ("exact", "certified upper bound from a randomized top-k") for b in first.bounds)
    with pytest.raises(InputError, match="^k=0"):
        evaluate_checkpoint(tmp_path / "ckpt", method="randomized", top_k=0, **kw)


def test_with_training_data_the_loss_augmented_family_is_bounded_too(tmp_path):
    """With --data the forward pass gives B_(l-1,A) exactly and X_l reads the spectral norms' upper ends."""
    net = _net("gaussian", seed=2)
    rng = np.random.default_rng(4)
    np.savez(tmp_path / "d.npz", X=rng.standard_normal((200, 24)), y=rng.integers(0, 6, 200))
    exact = {_label(b): b["log10_value"] for b in evaluate(net, data=tmp_path / "d.npz", margin=0.5).bounds}
    rand = evaluate(net, data=tmp_path / "d.npz", margin=0.5, method="randomized", top_k=4).bounds
    aug = [b for b in rand if b["family"] == "ledent2025.loss_augmented"]
    assert len(aug) == 4 and all(b["value_kind"].startswith("certified") for b in aug)
    assert all(b["log10_value"] >= exact[_label(b)] - 1e-9 for b in rand)
