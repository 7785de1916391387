"""Loaders: every format gives the same layers (names, orientation, biases, dtypes), one tensor at a time."""

import json
import struct
import sys
import types

import numpy as np
import pytest

from schattheory.foundation.errors import InputError
from schattheory.networks import formats
from schattheory.networks.loaders import iter_layers, natural_key, plan_model
from schattheory.networks.spectra import NetworkSpectra

safetensors_numpy = pytest.importorskip("safetensors.numpy")

RNG = np.random.default_rng(7)
MODEL = {
    "fc1.weight": RNG.standard_normal((6, 4)).astype(np.float32),
    "fc1.bias": RNG.standard_normal(6).astype(np.float32),
    "fc2.weight": RNG.standard_normal((5, 6)).astype(np.float32),
    "fc2.bias": RNG.standard_normal(5).astype(np.float32),
    "fc10.weight": RNG.standard_normal((3, 5)).astype(np.float32),
}


def _read_all(model, **kw):
    plan = plan_model(model, **kw)
    return plan, [(r.name, r.weight.copy(), None if r.bias is None else r.bias.copy()) for r in iter_layers(plan)]


def _write_bf16_safetensors(path, tensors):
    """A hand-written safetensors file (bf16 = top 16 bits of float32, rounded to nearest even)."""
    header, blobs, offset = {}, [], 0
    for name, arr in tensors.items():
        bits = arr.astype(np.float32).view(np.uint32)
        bf = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype("<u2")
        raw = bf.tobytes()
        header[name] = {"dtype": "BF16", "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def test_npz_and_safetensors_give_the_same_layers(tmp_path):
    np.savez(tmp_path / "m.npz", **MODEL)
    safetensors_numpy.save_file(MODEL, str(tmp_path / "m.safetensors"))
    _, a = _read_all(tmp_path / "m.npz")
    _, b = _read_all(tmp_path / "m.safetensors")
    _, c = _read_all(dict(MODEL))
    for rows in (a, b, c):
        assert [r[0] for r in rows] == ["fc1.weight", "fc2.weight", "fc10.weight"]
        for (_name, w, bias), expect in zip(rows, ("fc1", "fc2", "fc10")):
            assert w.dtype == np.float32  # float32 kept as stored
            np.testing.assert_array_equal(w, MODEL[expect + ".weight"])
            if expect == "fc10":
                assert bias is None
            else:
                np.testing.assert_array_equal(bias, MODEL[expect + ".bias"].astype(np.float64))


def test_safetensors_without_the_package_reads_the_same(tmp_path):
    path = tmp_path / "m.safetensors"
    safetensors_numpy.save_file(MODEL, str(path))
    plain = formats.SafetensorsSource(str(path), use_package=False)
    pkg = formats.SafetensorsSource(str(path), use_package=True)
    for t in pkg.tensors():
        np.testing.assert_array_equal(plain.read(t.name), pkg.read(t.name))


def test_safetensors_natural_and_file_order(tmp_path):
    names = {f"layers.{i}.weight": np.eye(3, dtype=np.float32) * (i + 1) for i in (0, 1, 2, 10, 9)}
    safetensors_numpy.save_file(names, str(tmp_path / "m.safetensors"))
    plan = plan_model(tmp_path / "m.safetensors")
    assert [lay.name for lay in plan.layers] == [f"layers.{i}.weight" for i in (0, 1, 2, 9, 10)]
    assert sorted(["b10", "b9", "a2"], key=natural_key) == ["a2", "b9", "b10"]


def test_fp16_and_bf16_are_upcast_to_float32(tmp_path):
    w = np.array([[1.5, -2.0, 0.25], [3.0, 0.5, -1.0]], dtype=np.float32)  # exact in fp16 and bf16
    np.savez(tmp_path / "h.npz", w=w.astype(np.float16))
    _write_bf16_safetensors(tmp_path / "b.safetensors", {"w": w})
    for path in (tmp_path / "h.npz", tmp_path / "b.safetensors"):
        ((_, got, _),) = _read_all(path)[1]
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, w)
    net = NetworkSpectra.from_model(tmp_path / "b.safetensors")
    assert net.info[0]["stored_dtype"] == "bfloat16" and net.layers[0].dtype == "float32"
    np.testing.assert_allclose(net.layers[0].sigma, np.linalg.svd(w.astype(np.float64), compute_uv=False), rtol=1e-6)


def test_torch_file_without_torch_is_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    path.write_bytes(b"\x80\x02\x8a\x0alZ\xfc\x9cF\xf9 j\xa8P\x19.")  # legacy torch.save magic (pickle)
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch -> ImportError
    with pytest.raises(InputError, match="needs torch, which is not installed"):
        plan_model(path)


class _FakeTensor:
    """Just enough of torch.Tensor for the loader: detach/cpu/float/numpy, shape, dtype."""

    def __init__(self, arr, dtype):
        self._arr, self.dtype, self.shape = arr, dtype, arr.shape

    def detach(self):
        return self

    def cpu(self):
        return self

    def float(self):
        return _FakeTensor(self._arr.astype(np.float32), "torch.float32")

    def numpy(self):
        return self._arr


def test_torch_state_dict_path_with_a_stand_in_torch(tmp_path, monkeypatch):
    """The torch code path (state dict nesting, dtype handling) run against a minimal stand-in module."""
    path = tmp_path / "model.pt"
    path.write_bytes(b"\x80\x02" + b"\x00" * 30)
    state = {
        "state_dict": {
            "0.weight": _FakeTensor(np.ones((3, 2), np.float16), "torch.float16"),
            "0.bias": _FakeTensor(np.zeros(3, np.float32), "torch.float32"),
            "1.weight": _FakeTensor(np.ones((1, 3), np.float32), "torch.float32"),
        }
    }
    calls = []
    fake = types.SimpleNamespace(load=lambda p, map_location, weights_only: calls.append(weights_only) or state)
    monkeypatch.setitem(sys.modules, "torch", fake)
    plan, rows = _read_all(path)
    assert calls == [True]  # weights_only: no arbitrary unpickling
    assert [r[0] for r in rows] == ["0.weight", "1.weight"]
    assert rows[0][1].dtype == np.float32 and rows[0][2] is not None
    assert plan.layers[0].bias == "0.bias"


def test_list_of_arrays_and_weight_bias_pairs():
    plan, rows = _read_all([(np.ones((3, 2)), np.arange(3.0)), np.ones((1, 3))])
    assert [r[0] for r in rows] == ["layer0", "layer1"]
    np.testing.assert_array_equal(rows[0][2], [0, 1, 2])
    assert rows[1][2] is None


def test_unnamed_npz_arrays_pair_biases_by_position(tmp_path):
    np.savez(tmp_path / "m.npz", np.ones((3, 2)), np.arange(3.0), np.ones((2, 3)), np.arange(2.0))
    plan = plan_model(tmp_path / "m.npz")
    assert [(lay.name, lay.bias) for lay in plan.layers] == [("arr_0", "arr_1"), ("arr_2", "arr_3")]


def test_keras_style_names_and_in_out_orientation():
    W1, W2 = RNG.standard_normal((4, 6)), RNG.standard_normal((6, 2))  # (in, out)
    plan, rows = _read_all({"W1": W1, "b1": np.zeros(6), "W2": W2, "b2": np.zeros(2)}, orientation="in_out")
    assert [lay.shape for lay in plan.layers] == [(6, 4), (2, 6)]
    np.testing.assert_array_equal(rows[0][1], W1.T)
    assert [lay.bias for lay in plan.layers] == ["b1", "b2"]
    with pytest.raises(InputError, match="do not match"):  # read as torch layout, they do not chain
        plan_model({"W1": W1, "W2": W2})


def test_layer_selection_by_pattern():
    model = {
        "enc.0.weight": np.ones((4, 3)),
        "enc.0.bias": np.ones(4),
        "enc.1.weight": np.ones((4, 4)),
        "head.weight": np.ones((2, 4)),
        "norm.weight": np.ones(4),
    }
    assert [lay.name for lay in plan_model(model, "enc.*").layers] == ["enc.0.weight", "enc.1.weight"]
    assert [lay.name for lay in plan_model(model, "re:^(enc\\.1|head)").layers] == ["enc.1.weight", "head.weight"]
    assert [lay.name for lay in plan_model(model, "enc.0.*,head.weight").layers] == ["enc.0.weight", "head.weight"]
    with pytest.raises(InputError, match="1-D scale without running statistics"):  # a LayerNorm-like scale
        plan_model(model)
    plan = plan_model(model, "enc.*,head.*")  # left out knowingly: listed, with why
    assert any(n == "norm.weight" and "not selected" in r and "do not cover" in r for n, r in plan.ignored)
    with pytest.raises(InputError, match="1-D scale"):  # asked for: refused
        plan_model(model, "norm.*")
    with pytest.raises(InputError, match="no weight tensor matches"):
        plan_model(model, "decoder.*")
    with pytest.raises(InputError, match="regular expression"):
        plan_model(model, "re:(")


def test_conv_kernels_are_4d_layers_and_keep_their_bias():
    model = {
        "conv.weight": RNG.standard_normal((8, 3, 3, 3)),
        "conv.bias": np.zeros(8),
        "fc.weight": RNG.standard_normal((10, 8 * 4 * 4)),
    }
    plan = plan_model(model)
    assert [(lay.kind, lay.bias) for lay in plan.layers] == [("conv", "conv.bias"), ("dense", None)]
    with pytest.raises(InputError, match="not a multiple of the 8 channels"):
        plan_model({"conv.weight": np.ones((8, 3, 3, 3)), "fc.weight": np.ones((10, 12))})


def test_headers_are_read_without_loading_data(tmp_path, monkeypatch):
    """plan_model refuses a non-chaining model before any tensor is read."""
    np.savez(tmp_path / "m.npz", a=np.ones((3, 2)), b=np.ones((2, 4)))
    monkeypatch.setattr(formats.NpzSource, "read", lambda self, name: pytest.fail("data read"))
    with pytest.raises(InputError, match="do not match"):
        plan_model(tmp_path / "m.npz")


def test_one_tensor_at_a_time(tmp_path):
    """iter_layers reads lazily: after the first layer only one read has happened."""
    np.savez(tmp_path / "m.npz", **{k: v for k, v in MODEL.items()})
    plan = plan_model(tmp_path / "m.npz")
    reads = []
    orig = plan.source.read
    plan.source.read = lambda name: reads.append(name) or orig(name)
    it = iter_layers(plan)
    next(it)
    assert reads == ["fc1.weight", "fc1.bias"]
