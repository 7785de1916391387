"""The network evaluated is the one in the file: biases, BatchNorm, zero-padded convolutions, stored precision.

Every reported norm is checked against numpy on the folded homogeneous operator built here independently (np.block,
np.kron and scipy.signal for the convolutions), and the folded operators are checked to compute the same function
as the original network with its biases and its BatchNorm applied in eval mode.
"""

import json

import numpy as np
import pytest
import scipy.signal

from schattheory.foundation.errors import InputError
from schattheory.networks.evaluate import evaluate
from schattheory.networks.loaders import plan_model
from schattheory.networks.spectra import NetworkSpectra
from schattheory.outputs import cli

EPS = 1e-5  # torch's BatchNorm epsilon


def _mlp(seed=0):
    """fc1 + bias -> BatchNorm -> ReLU -> fc2 (float32, rank 2) + bias -> ReLU -> fc3 + bias."""
    rng = np.random.default_rng(seed)
    low = (rng.standard_normal((6, 2)) @ rng.standard_normal((2, 8))).astype(np.float32)
    return {
        "fc1.weight": rng.standard_normal((8, 5)),
        "fc1.bias": rng.standard_normal(8),
        "bn1.weight": rng.uniform(0.5, 3.0, 8),
        "bn1.bias": rng.standard_normal(8),
        "bn1.running_mean": rng.standard_normal(8),
        "bn1.running_var": rng.uniform(0.01, 2.0, 8),
        "bn1.num_batches_tracked": np.array(100),
        "fc2.weight": low,
        "fc2.bias": rng.standard_normal(6).astype(np.float32),
        "fc3.weight": rng.standard_normal((3, 6)),
        "fc3.bias": rng.standard_normal(3),
    }


def _forward(net, X, biases=True):
    """The original network, BatchNorm applied in eval mode (no folding)."""
    h = X @ net["fc1.weight"].T + (net["fc1.bias"] if biases else 0)
    c = net["bn1.weight"] / np.sqrt(net["bn1.running_var"] + EPS)
    h = c * (h - net["bn1.running_mean"]) + net["bn1.bias"] if biases else c * h
    h = np.maximum(h, 0)
    h = np.maximum(h @ net["fc2.weight"].astype(np.float64).T + (net["fc2.bias"] if biases else 0), 0)
    return h @ net["fc3.weight"].T + (net["fc3.bias"] if biases else 0)


def _folded(net):
    """The homogeneous operators, built here: [[W, b], [0, 1]] for layers 1, 2 and [W, b] for the last."""
    c = net["bn1.weight"] / np.sqrt(net["bn1.running_var"] + EPS)
    W1 = c[:, None] * net["fc1.weight"]
    b1 = c * (net["fc1.bias"] - net["bn1.running_mean"]) + net["bn1.bias"]
    W2, b2 = net["fc2.weight"].astype(np.float64), net["fc2.bias"].astype(np.float64)
    carry = lambda n: np.r_[np.zeros(n), 1.0][None, :]  # noqa: E731
    return [
        np.block([[W1, b1[:, None]], [carry(5)]]),
        np.block([[W2, b2[:, None]], [carry(8)]]),
        np.hstack([net["fc3.weight"], net["fc3.bias"][:, None]]),
    ]


def _margins(z, y):
    idx = np.arange(len(y))
    other = z.copy()
    other[idx, y] = -np.inf
    return z[idx, y] - other.max(axis=1)


def _close(a, b, rel=1e-9):
    assert a == pytest.approx(b, rel=rel), (a, b)


@pytest.fixture
def files(tmp_path):
    net = _mlp()
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((40, 5)), rng.integers(0, 3, 40)
    np.savez(tmp_path / "net.npz", **net)
    np.savez(tmp_path / "data.npz", X=X, y=y)
    return net, X, y, tmp_path


def test_folded_operators_compute_the_network():
    net = _mlp()
    X = np.random.default_rng(2).standard_normal((7, 5))
    A1, A2, A3 = _folded(net)
    h = np.hstack([X, np.ones((7, 1))])
    h = np.maximum(h @ A1.T, 0)
    assert np.all(h[:, -1] == 1)  # relu(1) = 1: the constant survives
    h = np.maximum(h @ A2.T, 0)
    np.testing.assert_allclose(h @ A3.T, _forward(net, X), rtol=1e-12, atol=1e-12)


def test_every_norm_is_that_of_the_folded_operator_and_every_tensor_is_accounted_for(files):
    net, X, y, tmp = files
    gamma = 0.3
    ev = evaluate(tmp / "net.npz", data=tmp / "data.npz", margin=gamma, dtype="float64")
    doc = json.loads(ev.to_json())
    for row, A in zip(doc["layers"], _folded(net)):
        sv = np.linalg.svd(A, compute_uv=False)
        _close(row["spectral"], sv[0])
        _close(row["frobenius"], np.linalg.norm(A))
        _close(row["nuclear"], sv.sum())
        _close(row["norm21"], np.linalg.norm(A, axis=1).sum())
        assert row["operator_shape"] == list(A.shape)
    assert doc["layers"][0]["batchnorm"] == "bn1" and doc["biases"] == "folded"
    assert "homogeneous coordinates" in doc["network"] and "sqrt(B^2 + 1)" in doc["network"]
    # the data statistics are those of the augmented inputs; the margins those of the trained network
    _close(ev.stats.data.input_norm, np.sqrt(np.max(np.sum(X**2, axis=1)) + 1))
    _close(ev.stats.data.data_frobenius, np.sqrt(np.sum(X**2) + 40))
    marg = _margins(_forward(net, X), y)
    assert doc["data"]["margin_loss"] == pytest.approx(np.mean(marg <= gamma))
    _close(doc["data"]["margin_quantiles"]["median"], np.median(marg))
    # nothing in the file is left unaccounted for
    used = {t["name"] for t in doc["accounted_tensors"]} | {t["name"] for t in doc["ignored_tensors"]}
    assert used == set(net) and doc["ignored_tensors"] == []
    for b in doc["bounds"]:
        assert b["network"] == "biases folded" and b["details"]["margin_operator"]
        cert = b["details"]["certified"]  # every row says whether it is a certified bound
        certified = b["key"] == "vc.bhlm2019.explicit" or (
            b["family"].startswith("ledent2025") and b["mode"] == "explicit"
        )
        assert cert.startswith("certified") == certified, (b["key"], cert)
        if b["family"] in ("bartlett2017", "counting") and b["mode"] == "explicit":
            assert "union bound over norm levels" in cert


def test_bias_free_network_on_request(files, capsys):
    net, X, y, tmp = files
    ev = evaluate(tmp / "net.npz", data=tmp / "data.npz", margin=0.3, biases=False)
    assert ev.bias_free and "bias-free network" in ev.to_text() and "bias-free network" in ev.to_markdown()
    marg = _margins(_forward(net, X, biases=False), y)  # the margins of the bias-free network
    _close(ev.data["margin_quantiles"]["median"], np.median(marg))
    c = net["bn1.weight"] / np.sqrt(net["bn1.running_var"] + EPS)
    _close(ev.spectra.layers[0].spectral, np.linalg.norm(c[:, None] * net["fc1.weight"], 2))
    assert ev.spectra.layers[0].shape == (8, 5) and ev.stats.data.input_norm == ev.data["input_norm"]
    assert all(b["network"] == "bias-free network" for b in ev.bounds)
    assert (
        cli.main(
            [
                "evaluate",
                str(tmp / "net.npz"),
                "--data",
                str(tmp / "data.npz"),
                "--margin",
                "0.3",
                "--no-biases",
                "--json",
                "--quiet",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["network"].startswith("bias-free network") and doc["biases"] == "dropped (--no-biases)"
    assert all(b["network"] == "bias-free network" for b in doc["bounds"])


def test_rank_and_rank_proxies_do_not_depend_on_the_computation_dtype(files):
    net, X, y, tmp = files
    ps = (2 / 41, 0.5, 1.0)
    e32 = evaluate(tmp / "net.npz", ps=ps, dtype="float32")
    e64 = evaluate(tmp / "net.npz", ps=ps, dtype="float64")
    r32, r64 = e32.spectra.layer_rows(ps), e64.spectra.layer_rows(ps)
    A2 = _folded(net)[1]
    # fc2 is stored in float32: its folded operator has rank 3 (the 2 of W, and the column [b; 1]);
    # in float64 its rounding noise sits near 1e-8 sigma_1, above NumPy's float64 tolerance
    assert np.linalg.matrix_rank(A2) > 3
    assert np.linalg.matrix_rank(A2, tol=max(A2.shape) * np.finfo(np.float32).eps * np.linalg.norm(A2, 2)) == 3
    assert r32[1]["rank"] == r64[1]["rank"] == 3 and r32[1]["stored_dtype"] == "float32"
    for a, b in zip(r32, r64):
        assert a["rank"] == b["rank"]
        for p in a["rank_proxy"]:
            assert a["rank_proxy"][p] == pytest.approx(b["rank_proxy"][p], rel=1e-5)
            assert b["rank_proxy"][p] <= b["rank"] + 1e-12  # r(p) <= rank, as documented
    _close(r64[1]["noise_floor"], 9 * float(np.finfo(np.float32).eps) * np.linalg.norm(A2, 2))


def test_reference_weights_are_used_by_the_families_that_allow_them(files, tmp_path):
    net, X, y, tmp = files
    rng = np.random.default_rng(5)
    ref = {k: (v + 0.1 * rng.standard_normal(v.shape)).astype(v.dtype) if v.ndim == 2 else v for k, v in net.items()}
    np.savez(tmp_path / "init.npz", **ref)
    ev = evaluate(tmp / "net.npz", data=tmp / "data.npz", margin=0.3, reference=tmp_path / "init.npz", dtype="float64")
    for lay, A, A0 in zip(ev.spectra.layers, _folded(net), _folded(ref)):
        D = A - A0  # the carry rows cancel
        _close(lay.ref_norm21, np.linalg.norm(D, axis=1).sum())
        _close(lay.ref_frobenius, np.linalg.norm(D))
    plain = evaluate(tmp / "net.npz", data=tmp / "data.npz", margin=0.3, dtype="float64")
    by = lambda e: {(b["key"], b["mode"]): b for b in e.bounds}  # noqa: E731
    got, base = by(ev), by(plain)
    bart = got[("bartlett2017.dominant", "dominant")]
    assert bart["value"] < base[("bartlett2017.dominant", "dominant")]["value"]
    assert "measured from the reference" in bart["details"]["reference"]
    assert "measured from zero" in got[("golowich2018.dominant", "dominant")]["details"]["reference"]
    assert got[("golowich2018.dominant", "dominant")]["value"] == base[("golowich2018.dominant", "dominant")]["value"]
    with pytest.raises(InputError, match="reference"):
        np.savez(tmp_path / "bad.npz", **{**ref, "fc3.weight": np.ones((3, 7))})
        evaluate(tmp / "net.npz", n=40, input_norm=1.0, margin=0.3, reference=tmp_path / "bad.npz")


def _zero_padded(K, h, w, pad):
    """Torch-style cross-correlation with zero padding, column by column from basis inputs (scipy.signal)."""
    co, ci = K.shape[:2]
    cols = []
    for c in range(ci):
        for i in range(h):
            for j in range(w):
                x = np.zeros((h, w))
                x[i, j] = 1.0
                xp = np.pad(x, pad)
                cols.append(
                    np.concatenate([scipy.signal.correlate2d(xp, K[o, c], mode="valid").ravel() for o in range(co)])
                )
    return np.array(cols).T


def _cnn(seed=3):
    rng = np.random.default_rng(seed)
    return {
        "conv1.weight": rng.standard_normal((4, 3, 3, 3)),
        "conv1.bias": rng.standard_normal(4),
        "bn1.weight": rng.uniform(5, 40, 4),
        "bn1.bias": rng.standard_normal(4),
        "bn1.running_mean": rng.standard_normal(4),
        "bn1.running_var": rng.uniform(0.5, 2.0, 4),
        "conv2.weight": rng.standard_normal((2, 4, 3, 3)),
        "conv2.bias": rng.standard_normal(2),
    }


def test_conv_batchnorm_and_zero_padding_exact_and_upper_bound():
    net, h = _cnn(), 5
    c = net["bn1.weight"] / np.sqrt(net["bn1.running_var"] + EPS)
    K1 = c[:, None, None, None] * net["conv1.weight"]
    b1 = c * (net["conv1.bias"] - net["bn1.running_mean"]) + net["bn1.bias"]
    eye = np.eye(h * h)
    T1 = _zero_padded(K1, h, h, 1)
    # conv1 reads the constant channel (bias at the centre tap: each output position's own input position) and
    # passes it on; conv2 reads it
    A1 = np.block([[T1, np.kron(b1[:, None], eye)], [np.zeros((h * h, 3 * h * h)), eye]])
    A2 = np.hstack([_zero_padded(net["conv2.weight"], h, h, 1), np.kron(net["conv2.bias"][:, None], eye)])
    sp = NetworkSpectra.from_model(net, input_size=(h, h), padding="same")
    for lay, meta, A in zip(sp.layers, sp.info, (A1, A2)):
        sv = np.linalg.svd(A, compute_uv=False)
        assert meta["exact"] is True and meta["spectrum"] == "exact (explicit operator)"
        _close(lay.spectral, sv[0])
        _close(lay.frobenius, np.linalg.norm(A))
        _close(lay.nuclear, sv.sum())
        _close(lay.norm21, np.linalg.norm(A, axis=1).sum())
    # BatchNorm scales the conv by about 20: its spectral norm is reported, not the raw kernel's
    assert sp.layers[0].spectral > 5 * np.linalg.norm(_zero_padded(net["conv1.weight"], h, h, 1), 2)
    # above the size limit: the circular bound on the padded grid, labelled, and an upper bound indeed
    big = NetworkSpectra.from_model(net, input_size=(h, h), padding="same", exact_limit=0)
    for lay, meta, A in zip(big.layers, big.info, (A1, A2)):
        assert meta["exact"] is False and meta["spectrum"] == "upper bound" and "upper bound" in meta["note"]
        sv = np.linalg.svd(A, compute_uv=False)
        assert lay.spectral >= sv[0] * (1 - 1e-12) and lay.nuclear >= sv.sum() * (1 - 1e-12)
    with pytest.raises(InputError, match="padding"):  # nothing recorded, nothing given: refused
        NetworkSpectra.from_model(net, input_size=(h, h))


def test_conv_first_layer_input_carries_one_per_position():
    net, h = _cnn(), 5
    ev = evaluate(net, n=10, input_norm=2.0, margin=0.5, input_size=(h, h), padding="same")
    assert ev.stats.data.input_norm == pytest.approx(np.sqrt(4.0 + h * h), rel=1e-9)


def test_padding_recorded_in_safetensors_metadata(tmp_path):
    st = pytest.importorskip("safetensors.numpy")
    net = {k: v.astype(np.float32) for k, v in _cnn().items() if k.startswith("conv")}
    st.save_file(net, str(tmp_path / "cnn.safetensors"), metadata={"conv1.padding": "1", "conv2.padding": "same"})
    sp = NetworkSpectra.from_model(tmp_path / "cnn.safetensors", input_size=(5, 5))
    assert [m["padding"] for m in sp.info] == [1, "same"] and all(m["exact"] for m in sp.info)
    st.save_file(
        net,
        str(tmp_path / "circ.safetensors"),
        metadata={"conv1.padding_mode": "circular", "conv2.padding_mode": "circular"},
    )
    circ = NetworkSpectra.from_model(tmp_path / "circ.safetensors", input_size=(5, 5))
    assert [m["spectrum"] for m in circ.info] == ["exact (circular, Sedghi et al.)"] * 2


def test_unfoldable_tensors_are_refused_not_dropped():
    base = {"fc1.weight": np.eye(3), "fc2.weight": np.eye(3)}
    with pytest.raises(InputError, match="LayerNorm"):
        plan_model({**base, "ln.weight": np.ones(3), "ln.bias": np.zeros(3)})
    with pytest.raises(InputError, match="attention"):
        plan_model({**base, "attn.q_proj.weight": np.eye(3)})
    with pytest.raises(InputError, match="running_var"):
        plan_model({**base, "bn.running_mean": np.zeros(3)})
    plan = plan_model({**base, "stray": np.ones(3)})  # listed, with what it means for the bounds
    assert plan.ignored == (
        (
            "stray",
            "1-D, not a bias: not part of the evaluated operator; if it acts in the "
            "network, the bounds do not cover it",
        ),
    )


def test_torch_files_are_read_memory_mapped(tmp_path):
    torch = pytest.importorskip("torch")
    net = _mlp()
    torch.save({k: torch.from_numpy(np.asarray(v)) for k, v in net.items()}, tmp_path / "net.pt")
    ev = evaluate(tmp_path / "net.pt", dtype="float64")
    layers = ev.to_dict()["layers"]
    assert len(layers) == len(_folded(net))
    for row, A in zip(layers, _folded(net)):
        assert row["spectral"] == pytest.approx(np.linalg.norm(A, 2), rel=1e-9)
