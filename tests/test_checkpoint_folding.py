"""The checkpoint path folds biases and eval-mode BatchNorm as the in-order path does: same network, same numbers.

Each network is written twice, as one ``.npz`` (read by the in-order path, ``evaluate``) and as a sharded safetensors
folder (read by ``evaluate_checkpoint``, its workers folding each layer); the JSON must agree to 1e-12 relative. The
folded spectra are also checked against numpy's SVD of augmented matrices built by hand here (BatchNorm scale and
shift, then [[W, b], [0, 1]]), an independent route from the package's fold.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from schattheory.networks.checkpoint import plan_checkpoint
from schattheory.networks.checkpoint_eval import evaluate_checkpoint
from schattheory.networks.evaluate import evaluate
from schattheory.networks.synthetic_checkpoint import write_checkpoint
from schattheory.outputs.cli import main

pytest.importorskip("ml_dtypes", reason="safetensors checkpoints need ml_dtypes (extra 'checkpoints')")

EPS = 1e-5  # torch's BatchNorm epsilon
DATA = {"n": 1000, "input_norm": 2.0, "margin": 0.5}
FAMILIES = ["ledent2025", "bartlett2017", "neyshabur2018", "counting"]


def _mlp(seed, *, bias=True, bn=True):
    """torch.nn.Sequential names: Linear(6, 8), BatchNorm1d(8), ReLU, Linear(8, 5), ReLU, Linear(5, 3)."""
    rng = np.random.default_rng(seed)
    t = {"net.0.weight": rng.standard_normal((8, 6)).astype(np.float32)}
    if bias:
        t["net.0.bias"] = rng.standard_normal(8).astype(np.float32)
    if bn:
        t.update(
            {
                "net.1.weight": rng.uniform(0.5, 2, 8).astype(np.float32),
                "net.1.bias": rng.standard_normal(8).astype(np.float32),
                "net.1.running_mean": rng.standard_normal(8).astype(np.float32),
                "net.1.running_var": rng.uniform(0.2, 3, 8).astype(np.float32),
                "net.1.num_batches_tracked": np.array(7, dtype=np.int64),
            }
        )
    t["net.3.weight"] = rng.standard_normal((5, 8)).astype(np.float32)
    if bias:
        t["net.3.bias"] = rng.standard_normal(5).astype(np.float32)
    t["net.5.weight"] = rng.standard_normal((3, 5)).astype(np.float32)
    return t


def _both(tmp_path, tensors, shards=3):
    npz = tmp_path / "m.npz"
    np.savez(npz, **tensors)
    write_checkpoint(tmp_path / "ckpt", tensors, dtype="float32", shards=shards)
    return npz, tmp_path / "ckpt"


def _close(a, b, path="$"):
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), (path, set(a) ^ set(b))
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=0), (path, a, b)
    else:
        assert a == b, (path, a, b)


def _json(ev):
    d = ev.to_dict()
    d.pop("source")  # the file's path: the npz and the folder differ by name only
    return d


def _by_hand(t, bias, bn):
    """The folded operators, from the stored numbers (float64 numpy, independent of the package's fold)."""
    w0 = t["net.0.weight"].astype(np.float64)
    b0 = t["net.0.bias"].astype(np.float64) if bias else np.zeros(8)
    if bn:
        c = t["net.1.weight"].astype(np.float64) / np.sqrt(t["net.1.running_var"].astype(np.float64) + EPS)
        w0, b0 = c[:, None] * w0, c * (b0 - t["net.1.running_mean"]) + t["net.1.bias"]
    b3 = t["net.3.bias"].astype(np.float64) if bias else np.zeros(5)
    a1 = np.block([[w0, b0[:, None]], [np.zeros((1, 6)), np.ones((1, 1))]])
    a2 = np.hstack([t["net.3.weight"].astype(np.float64), b3[:, None]])
    if not bias:  # BatchNorm only: its shift is the last constant, so layer 1 is [W, b] and layer 2 as stored
        a1, a2 = a1[:-1], t["net.3.weight"].astype(np.float64)
    return [a1, a2, t["net.5.weight"].astype(np.float64)]


@pytest.mark.parametrize("bias,bn", [(True, False), (False, True), (True, True)], ids=["biases", "batchnorm", "both"])
def test_checkpoint_path_equals_in_order_path(tmp_path, bias, bn):
    t = _mlp(1, bias=bias, bn=bn)
    npz, folder = _both(tmp_path, t)
    ref = evaluate(npz, families=FAMILIES, **DATA)
    got = evaluate_checkpoint(folder, n_jobs=1, families=FAMILIES, **DATA)
    assert got.bounds and ref.spectra.homogeneous.biases == "folded"
    _close(_json(ref), _json(got))
    for lay, a in zip(got.spectra.layers, _by_hand(t, bias, bn)):
        expected = np.linalg.svd(a, compute_uv=False)
        assert lay.shape == a.shape
        np.testing.assert_allclose(lay.sigma, expected, rtol=2e-5)  # float32 operators, float64 reference
    assert math.isclose(got.stats.data.input_norm, math.hypot(2.0, 1.0), rel_tol=1e-15)  # sqrt(B^2 + 1)
    # every tensor is accounted for: weights, biases, BatchNorm (and its counter); nothing skipped
    assert {n for n, _ in got.spectra.accounted} == set(t) and got.spectra.ignored == ()


def test_no_biases_is_the_same_on_both_paths(tmp_path, capsys):
    t = _mlp(2)
    npz, folder = _both(tmp_path, t)
    args = ["--n", "1000", "--input-norm", "2", "--margin", "0.5", "--json", "--quiet", "--no-biases"]
    assert main(["evaluate", str(npz), *args]) == 0
    ref = json.loads(capsys.readouterr().out)
    assert main(["evaluate", str(folder), *args, "--jobs", "2"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert ref["biases"] == "dropped (--no-biases)" and ref["bounds"]
    ref.pop("source"), got.pop("source")
    _close(ref, got)
    # the BatchNorm scale stays, its shift and the biases go: the operators are c W, W and W, unaugmented
    c = t["net.1.weight"].astype(np.float64) / np.sqrt(t["net.1.running_var"].astype(np.float64) + EPS)
    first = np.linalg.svd(c[:, None] * t["net.0.weight"], compute_uv=False)
    assert got["layers"][0]["operator_shape"] == [8, 6]
    assert math.isclose(got["layers"][0]["spectral"], first[0], rel_tol=1e-6)


def test_serial_pool_and_cache_resume_agree(tmp_path):
    t = _mlp(3)
    _, folder = _both(tmp_path, t, shards=2)
    serial = evaluate_checkpoint(folder, n_jobs=1, families=FAMILIES, **DATA)
    pool = evaluate_checkpoint(folder, n_jobs=2, families=FAMILIES, **DATA)
    _close(_json(serial), _json(pool))
    cache = tmp_path / "cache"
    first = evaluate_checkpoint(folder, n_jobs=1, cache=cache, families=FAMILIES, **DATA)
    again = evaluate_checkpoint(folder, n_jobs=2, cache=cache, families=FAMILIES, **DATA)
    assert all(m["computed"] for m in first.spectra.info) and not any(m["computed"] for m in again.spectra.info)
    _close(_json(serial), _json(again))
    # the cache key holds the folded tensors: a changed bias recomputes its layer only, and the numbers follow it
    t["net.3.bias"] = t["net.3.bias"] * 3
    write_checkpoint(folder, t, dtype="float32", shards=2)
    third = evaluate_checkpoint(folder, n_jobs=1, cache=cache, families=FAMILIES, **DATA)
    assert [m["tensor"] for m in third.spectra.info if m["computed"]] == ["net.3.weight"]
    _close(_json(third), _json(evaluate_checkpoint(folder, n_jobs=1, families=FAMILIES, **DATA)))
    # and --no-biases is another operator for the layers that take the constant: not served from the folded entries
    bare = evaluate_checkpoint(folder, n_jobs=1, cache=cache, biases=False, families=FAMILIES, **DATA)
    assert [m["tensor"] for m in bare.spectra.info if m["computed"]] == ["net.0.weight", "net.3.weight"]


def test_unmatched_1d_tensor_is_refused_with_the_reason(tmp_path):
    t = _mlp(4, bn=False)
    t["net.9.offset"] = np.ones(3, np.float32)  # matches no layer: not a bias by name, no BatchNorm
    _, folder = _both(tmp_path, t)
    ev = evaluate_checkpoint(folder, n_jobs=1, families=FAMILIES, **DATA)
    assert ev.bounds == [] and ev.skipped
    reason = ev.skipped[0]["reason"]
    assert "net.9.offset" in reason and "neither a layer's bias nor a BatchNorm" in reason
    assert all(s["reason"] == reason for s in ev.skipped)
    # the spectra are still every layer's, as stored (no fold when the bounds do not apply)
    assert [lay.shape for lay in ev.spectra.layers] == [(8, 6), (5, 8), (3, 5)]


def test_layernorm_scale_keeps_the_refusal(tmp_path):
    t = _mlp(5, bn=False)
    t["net.2.ln.weight"] = np.ones(8, np.float32)  # a LayerNorm scale: no running statistics, not foldable
    _, folder = _both(tmp_path, t)
    ev = evaluate_checkpoint(folder, n_jobs=1, families=FAMILIES, **DATA)
    assert ev.bounds == [] and "LayerNorm/GroupNorm" in ev.skipped[0]["reason"]
    assert "net.2.ln.weight" in ev.skipped[0]["reason"]


def test_dry_run_names_what_each_1d_tensor_is_folded_into(tmp_path):
    _, folder = _both(tmp_path, _mlp(6))
    rows = {e["name"]: e for e in plan_checkpoint(folder).entries}
    assert rows["net.0.bias"]["action"] == "fold" and rows["net.0.bias"]["reason"] == "bias of net.0.weight"
    assert rows["net.1.running_var"]["reason"] == "batchnorm folded into net.0.weight"
    assert rows["net.1.num_batches_tracked"]["reason"].startswith("batchnorm counter")


def test_bf16_chain_wider_than_256_is_evaluated(tmp_path):
    """bf16 weights of a 300-wide chain with biases: folded and bounded (the noise floor stays below sigma_1)."""
    rng = np.random.default_rng(8)
    t = {
        "net.0.weight": rng.standard_normal((300, 20)).astype(np.float32),
        "net.0.bias": np.ones(300, np.float32),
        "net.2.weight": rng.standard_normal((4, 300)).astype(np.float32),
    }
    write_checkpoint(tmp_path, t, dtype="bfloat16", shards=2)
    ev = evaluate_checkpoint(tmp_path, n_jobs=1, families=["bartlett2017"], **DATA)
    rows = ev.to_dict()["layers"]
    assert ev.bounds and rows[0]["operator_shape"] == [300, 21] and rows[0]["rank"] == 21  # [W, b]: last bias


def test_convolutions_are_declined_with_their_own_reason(tmp_path):
    rng = np.random.default_rng(9)
    t = {
        "conv1.weight": rng.standard_normal((4, 3, 3, 3)),
        "conv1.bias": rng.standard_normal(4),
        "fc.weight": rng.standard_normal((2, 4 * 8 * 8)),
    }
    np.savez(tmp_path / "c.npz", **t)
    ev = evaluate_checkpoint(tmp_path / "c.npz", n_jobs=1, families=["vc"], **DATA)
    assert ev.bounds == [] and ev.skipped[0]["reason"].startswith("convolutional layers (conv1.weight)")
    assert "--input-size" in ev.skipped[0]["reason"]


def test_dry_run_says_whether_the_bounds_apply(tmp_path, capsys):
    _, folder = _both(tmp_path, _mlp(10))
    assert main(["evaluate", str(folder), "--dry-run", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["bounds_apply"] is True and listing["why_not"] == []
    t = _mlp(10)
    t["net.9.offset"] = np.ones(3, np.float32)
    write_checkpoint(tmp_path / "odd", t, dtype="float32", shards=2)
    assert main(["evaluate", str(tmp_path / "odd"), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "bounds: not evaluated: the layers come with 1-D tensors" in text and "net.9.offset" in text
    assert "net.0.bias" in text and " fold " in text
