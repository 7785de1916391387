"""Data statistics: n, B, ||X||_F and margins from the streamed forward pass, against a per-sample loop."""

import numpy as np
import pytest

from schattheory.foundation.errors import InputError
from schattheory.networks.data import choose_margin, given_data_stats, load_data
from schattheory.networks.evaluate import evaluate


def _net(seed=0):
    rng = np.random.default_rng(seed)
    return {
        "fc1.weight": rng.standard_normal((6, 4)),
        "fc1.bias": rng.standard_normal(6),
        "fc2.weight": rng.standard_normal((5, 6)).astype(np.float32),
        "fc3.weight": rng.standard_normal((3, 5)),
        "fc3.bias": rng.standard_normal(3),
    }


def _margins_by_loop(net, X, y):
    """One sample at a time with Python lists: an independent route to the margins."""
    layers = [(net["fc1.weight"], net["fc1.bias"]), (net["fc2.weight"], None), (net["fc3.weight"], net["fc3.bias"])]
    out, act = [], [0.0] * len(layers)
    for x, label in zip(X, y):
        h = list(x)
        for li, (W, b) in enumerate(layers):
            act[li] = max(act[li], sum(v * v for v in h) ** 0.5)
            z = [
                sum(float(W[o, i]) * h[i] for i in range(len(h))) + (float(b[o]) if b is not None else 0.0)
                for o in range(W.shape[0])
            ]
            h = [max(v, 0.0) for v in z] if li < len(layers) - 1 else z
        out.append(h[label] - max(v for j, v in enumerate(h) if j != label))
    return np.array(out), act


def test_forward_pass_margins_and_statistics(tmp_path):
    net = _net()
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((40, 4)), rng.integers(0, 3, 40)
    np.savez(tmp_path / "net.npz", **net)
    np.savez(tmp_path / "data.npz", X=X, y=y)
    ref, act = _margins_by_loop(net, X, y)
    gamma = float(np.quantile(ref[ref > 0], 0.5))
    ev = evaluate(tmp_path / "net.npz", data=tmp_path / "data.npz", margin=gamma)
    d = ev.data
    assert d["n"] == 40 and d["d"] == 4 and d["num_classes"] == 3
    assert d["input_norm"] == pytest.approx(max(np.sqrt(np.sum(x**2)) for x in X), rel=1e-12)
    assert d["data_frobenius"] == pytest.approx(np.sqrt(np.sum(X**2)), rel=1e-12)
    assert d["margin_loss"] == pytest.approx(np.mean(ref <= gamma))
    assert d["train_accuracy"] == pytest.approx(np.mean(ref > 0))
    assert d["margin_quantiles"]["min"] == pytest.approx(ref.min(), rel=1e-9, abs=1e-12)
    assert ev.stats.data.margin == gamma and ev.stats.data.n == 40
    # B_{l-1,A} for the loss-augmented bound: the input norm first, then the ReLU activations' largest norms
    np.testing.assert_allclose(d["activation_norms"], act, rtol=1e-12)
    assert d["activation_norms"][0] == pytest.approx(d["input_norm"], rel=1e-12)
    # the bounds see the augmented network (biases folded): every activation carries the constant 1
    np.testing.assert_allclose(ev.stats.extras["activation_norms"], np.hypot(act, 1.0), rtol=1e-12)
    assert ev.stats.data.input_norm == pytest.approx(np.hypot(d["input_norm"], 1.0), rel=1e-12)
    assert ev.stats.data.data_frobenius == pytest.approx(np.sqrt(np.sum(X**2) + 40), rel=1e-12)
    # the percentile rule: gamma is that percentile of the same margins
    q = 100 * (1 - np.mean(ref > 0)) + 10
    ev2 = evaluate(tmp_path / "net.npz", data=tmp_path / "data.npz", margin_percentile=q)
    assert ev2.data["margin"] == pytest.approx(np.percentile(ref, q), rel=1e-9)
    assert ev2.data["margin_rule"] == f"percentile {q:g}"


def test_binary_single_output():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    W = np.array([[1.0, -1.0]])
    for labels, signs in (([1, 0, 1], [1, -1, 1]), ([1, -1, -1], [1, -1, -1])):
        import os
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            np.savez(os.path.join(d, "x.npz"), X=X, y=np.array(labels))
            ev = evaluate([W], data=os.path.join(d, "x.npz"), margin=0.5)
        z = X @ W.T
        ref = np.array(signs) * z[:, 0]
        assert ev.data["margin_loss"] == pytest.approx(np.mean(ref <= 0.5))
        assert ev.data["num_classes"] == 2


def test_margin_rules():
    m = np.array([-1.0, 0.2, 0.5, 1.0, 3.0])
    assert choose_margin(m, margin=0.5) == (0.5, "given", 0.6)
    g, rule, loss = choose_margin(m, percentile=50)
    assert g == 0.5 and rule == "percentile 50" and loss == 0.6
    for bad in (0, -0.1, float("nan"), float("inf")):
        with pytest.raises(InputError, match="margin"):
            choose_margin(m, margin=bad)
    with pytest.raises(InputError, match="<= 0"):
        choose_margin(m, percentile=20)
    with pytest.raises(InputError, match="not both"):
        choose_margin(m, margin=1, percentile=50)
    with pytest.raises(InputError, match=r"\(0, 100\)"):
        choose_margin(m, percentile=100)
    with pytest.raises(InputError, match="explicit margin"):
        choose_margin(m)


def test_given_statistics_without_data():
    s = given_data_stats(100, 2.0, 0.5)
    assert s.stats.data_frobenius == pytest.approx(20.0) and "upper bound" in s["data_frobenius_rule"]
    assert s["margin_loss"] is None
    with pytest.raises(InputError, match="--input-norm"):
        given_data_stats(100, None, 0.5)
    with pytest.raises(InputError, match="n=1.5"):
        given_data_stats(1.5, 1.0, 0.5)
    ev = evaluate([np.eye(3)], n=10, input_norm=1.0, margin=0.1)
    assert ev.data["n"] == 10 and ev.stats.data.input_norm == 1.0


def test_data_file_errors(tmp_path):
    np.savez(tmp_path / "noy.npz", X=np.ones((3, 2)))
    np.savez(tmp_path / "len.npz", X=np.ones((3, 2)), y=np.zeros(4))
    np.savez(tmp_path / "frac.npz", X=np.ones((3, 2)), y=np.array([0.5, 1, 0]))
    np.savez(tmp_path / "nan.npz", X=np.full((3, 2), np.nan), y=np.zeros(3))
    (tmp_path / "empty.npz").write_bytes(b"")
    (tmp_path / "junk.npz").write_bytes(b"junk")
    for name, msg in (
        ("noy", "missing \\['y'\\]"),
        ("len", "4 labels for 3 rows"),
        ("frac", "integer class labels"),
        ("nan", "NaN"),
        ("empty", "empty file"),
        ("junk", "not a readable .npz"),
    ):
        with pytest.raises(InputError, match=msg):
            load_data(tmp_path / f"{name}.npz")
    np.savez(tmp_path / "img.npz", X=np.ones((3, 2, 2)), y=np.zeros(3))
    X, _ = load_data(tmp_path / "img.npz")
    assert X.shape == (3, 4)  # images are flattened


def test_data_with_conv_layers_is_refused(tmp_path):
    np.savez(tmp_path / "x.npz", X=np.ones((3, 12)), y=np.zeros(3))
    with pytest.raises(InputError, match="convolutional"):
        evaluate(
            {"conv.weight": np.ones((2, 3, 3, 3)), "fc.weight": np.ones((2, 8))}, data=tmp_path / "x.npz", margin=1
        )
