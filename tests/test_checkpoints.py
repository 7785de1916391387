"""Sharded checkpoints: decoding, name layouts, --layers/--dry-run, serial = pool, the cache and a resumed run.

Every checkpoint is written at test time into tmp_path by schattheory.networks.synthetic_checkpoint; the reference
spectra come from numpy.linalg.svd in float64 on the decoded weights, oriented and split by hand here (an independent
route from the engine's reader, layouts and LAPACK call).
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from schattheory.foundation.errors import InputError
from schattheory.networks import layouts
from schattheory.networks.checkpoint import open_checkpoint, plan_checkpoint
from schattheory.networks.checkpoint_eval import evaluate_checkpoint
from schattheory.networks.synthetic_checkpoint import decoded, transformer_tensors, write_checkpoint
from schattheory.outputs.cli import main

pytest.importorskip("ml_dtypes", reason="bf16/fp8 decoding needs ml_dtypes (extra 'checkpoints')")


def _expected_layers(tensors, dtype):
    """name -> float64 (out, in) matrix, oriented and split by hand from the stored numbers."""
    out = {}
    for name, arr in tensors.items():
        if arr.ndim != 2:
            continue
        w = decoded(arr, dtype).astype(np.float64)
        if name.endswith(("wte.weight", "wpe.weight", "embed_tokens.weight")) or ".c_" in name:
            w = w.T  # stored (in, out): embedding tables and GPT-2 Conv1D
        if name.endswith("c_attn.weight"):
            k = w.shape[0] // 3
            out.update({f"{name}[{p}]": w[i * k : (i + 1) * k] for i, p in enumerate("qkv")})
        else:
            out[name] = w
    return out


def _close_json(a, b, rel=1e-12, path="$"):
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), path
        for k in a:
            _close_json(a[k], b[k], rel, f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close_json(x, y, rel, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=rel, abs_tol=0), (path, a, b)
    else:
        assert a == b, (path, a, b)


def _comparable(ev):
    d = ev.to_dict()
    d.pop("source")
    return d


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A bf16 checkpoint in 3 shards holding a GPT-2 and a Llama model side by side (two name families)."""
    folder = tmp_path_factory.mktemp("ckpt")
    tensors = transformer_tensors("gpt2", layers=2, d=24, ff=96, vocab=64, seed=1)
    tensors.update(transformer_tensors("llama", layers=2, d=24, ff=64, vocab=64, seed=2))
    write_checkpoint(folder, tensors, dtype="bfloat16", shards=3)
    return folder, tensors


def test_every_spectrum_matches_numpy_on_decoded_weights(checkpoint):
    folder, tensors = checkpoint
    ev = evaluate_checkpoint(folder, n_jobs=1)
    ev64 = evaluate_checkpoint(folder, n_jobs=1, dtype="float64")
    expected = _expected_layers(tensors, "bfloat16")
    assert sorted(ev.spectra.names) == sorted(expected) == sorted(ev64.spectra.names)
    eps32 = float(np.finfo(np.float32).eps)
    for lay, lay64 in zip(ev.spectra.layers, ev64.spectra.layers):
        w = expected[lay.name]
        assert lay.shape == w.shape
        ref = np.linalg.svd(w, compute_uv=False)  # numpy, float64, on the decoded weights
        # decomposed in float64: equal to 1e-6 relative (in fact to rounding)
        assert np.max(np.abs(lay64.sigma - ref)) <= 1e-6 * ref[0], lay.name
        # decomposed in float32 as stored (the default): within float32 SVD's backward error (Weyl:
        # |d sigma_i| <= ||E||_2, ||E||_2 <= c max(m, n) eps ||A||_2; c = 1 suffices on these sizes)
        assert np.max(np.abs(lay.sigma - ref)) <= max(w.shape) * eps32 * ref[0], lay.name
        # ||A^T||_{2,1}: rows of the (out, in) operator
        assert math.isclose(lay.norm21, np.linalg.norm(expected[lay.name], axis=1).sum(), rel_tol=1e-6)
    assert ev.bounds == [] and {s["family"] for s in ev.skipped} >= {"ledent2025", "bartlett2017"}
    assert all(s["reason"].startswith("not a feed-forward chain") for s in ev.skipped)
    assert any(n.startswith("attention.qkv") for n in ev.notes) and any(n.startswith("mlp.gate") for n in ev.notes)


def test_jobs_2_equals_serial(checkpoint):
    folder, _ = checkpoint
    serial = evaluate_checkpoint(folder, n_jobs=1, ps=(0.5, 1.0))
    pooled = evaluate_checkpoint(folder, n_jobs=2, ps=(0.5, 1.0))
    _close_json(_comparable(serial), _comparable(pooled))
    for a, b in zip(serial.spectra.layers, pooled.spectra.layers):  # and bit for bit
        assert np.array_equal(a.sigma, b.sigma)


@pytest.mark.parametrize("dtype", ["float16", "float8_e4m3fn", "float8_e5m2", "float32"])
def test_other_dtypes_decode_exactly(tmp_path, dtype):
    tensors = {"fc1.weight": np.random.default_rng(3).standard_normal((6, 5)).astype(np.float32)}
    write_checkpoint(tmp_path, tensors, dtype=dtype, shards=1)
    src = open_checkpoint(tmp_path)
    assert np.array_equal(src.read("fc1.weight").astype(np.float32), decoded(tensors["fc1.weight"], dtype))


def test_missing_ml_dtypes_is_one_line_naming_the_tensor(tmp_path, monkeypatch):
    write_checkpoint(tmp_path, {"blk.weight": np.ones((3, 3), np.float32)}, dtype="bfloat16", shards=1)
    monkeypatch.setitem(sys.modules, "ml_dtypes", None)
    with pytest.raises(InputError, match=r"^tensor='blk.weight': is stored as bfloat16.*ml_dtypes") as err:
        open_checkpoint(tmp_path).read("blk.weight")
    assert "\n" not in str(err.value)


def test_layouts_are_data_and_every_role_says_what_it_means():
    table = layouts.roles()
    assert table["dense"]["covered"] is True
    for pat in layouts.patterns():
        assert pat["role"] in table
    for role, entry in table.items():
        assert len(entry["meaning"]) > 30, role
    gpt = layouts.classify("transformer.h.3.mlp.c_fc.weight", 2)
    llama = layouts.classify("model.layers.0.mlp.down_proj.weight", 2)
    assert (gpt.stored, gpt.role, llama.stored, llama.role) == ("in_out", "mlp.fc", "out_in", "mlp.down")
    assert layouts.classify("model.norm.weight", 1).evaluate is False
    assert layouts.classify("something.else", 1) is None


def test_layers_regex_and_dry_run(checkpoint, capsys):
    folder, _ = checkpoint
    plan = plan_checkpoint(folder, "re:layers\\.1\\.mlp")
    assert plan.layer_names == [f"model.layers.1.mlp.{p}_proj.weight" for p in ("down", "gate", "up")]
    assert main(["evaluate", str(folder), "--dry-run", "--layers", "re:h\\.0\\.attn"]) == 0
    out = capsys.readouterr().out
    assert "transformer.h.0.attn.c_attn.weight" in out and "split" in out and "attention.qkv" in out
    assert "not selected by --layers" in out and "do not cover this architecture" in out
    assert main(["evaluate", str(folder), "--dry-run", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["bounds_apply"] is False and len(listing["layers"]) == 2 * 6 + 2 + 2 * 7 + 2


def test_cli_transformer_exit_0_with_spectra_and_reasons(checkpoint, capsys):
    folder, _ = checkpoint
    assert (
        main(
            [
                "evaluate",
                str(folder),
                "--jobs",
                "1",
                "--json",
                "--quiet",
                "--n",
                "1000",
                "--input-norm",
                "1",
                "--margin",
                "1",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert len(out["layers"]) == 30 and out["bounds"] == []
    assert all("not a feed-forward chain" in s["reason"] for s in out["skipped"])


def test_bad_scale_flags_exit_2(checkpoint, capsys, tmp_path):
    folder, _ = checkpoint
    for argv in (["--jobs", "0"], ["--scheduler", "local:x"], ["--data", str(tmp_path / "d.npz")]):
        assert main(["evaluate", str(folder), "--quiet", *argv]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "error:" in err


def test_chain_of_dense_layers_still_gets_bounds(tmp_path):
    rng = np.random.default_rng(0)
    tensors = {
        "fc1.weight": rng.standard_normal((8, 6)).astype(np.float32),
        "fc2.weight": rng.standard_normal((3, 8)).astype(np.float32),
    }
    write_checkpoint(tmp_path, tensors, dtype="float32", shards=2)
    ev = evaluate_checkpoint(tmp_path, n_jobs=1, n=1000, input_norm=1.0, margin=1.0, families=["bartlett2017"])
    assert ev.bounds and not any("feed-forward" in s["reason"] for s in ev.skipped)
    # a 1-D tensor that is no layer's bias: the network is not the weights alone, so no bound, and the reason says so
    # (biases and BatchNorm are folded: tests/test_checkpoint_folding.py)
    tensors["fc1.scale_extra"] = np.ones(8, np.float32)
    write_checkpoint(tmp_path / "b", tensors, dtype="float32", shards=1)
    ev = evaluate_checkpoint(tmp_path / "b", n_jobs=1, n=1000, input_norm=1.0, margin=1.0, families=["bartlett2017"])
    assert ev.bounds == [] and all("fc1.scale_extra" in s["reason"] for s in ev.skipped)


def test_cache_hits_and_content_change(tmp_path):
    tensors = transformer_tensors("llama", layers=1, d=16, ff=32, vocab=40, seed=5)
    folder = tmp_path / "m"
    write_checkpoint(folder, tensors, dtype="bfloat16", shards=2)
    first = evaluate_checkpoint(folder, n_jobs=1, cache=tmp_path / "c")
    assert all(m["computed"] for m in first.spectra.info)
    again = evaluate_checkpoint(folder, n_jobs=1, cache=tmp_path / "c")
    assert not any(m["computed"] for m in again.spectra.info)
    _close_json(_comparable(first), _comparable(again), rel=0)
    tensors["model.layers.0.mlp.up_proj.weight"] = tensors["model.layers.0.mlp.up_proj.weight"] * 2
    write_checkpoint(folder, tensors, dtype="bfloat16", shards=2)
    third = evaluate_checkpoint(folder, n_jobs=1, cache=tmp_path / "c")
    assert [m["tensor"] for m in third.spectra.info if m["computed"]] == ["model.layers.0.mlp.up_proj.weight"]


def test_killed_run_resumes_recomputing_only_unfinished(tmp_path):
    rng = np.random.default_rng(7)
    tensors = {
        f"model.layers.{i}.mlp.up_proj.weight": rng.standard_normal((160, 320)).astype(np.float32) for i in range(24)
    }
    folder, cache = tmp_path / "m", tmp_path / "cache"
    write_checkpoint(folder, tensors, dtype="bfloat16", shards=3)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "schattheory",
            "evaluate",
            str(folder),
            "--jobs",
            "1",
            "--cache",
            str(cache),
            "--quiet",
            "--json",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if (
            os.path.isdir(cache)
            and len([f for f in os.listdir(cache) if f.endswith(".npz") and not f.startswith(".")]) >= len(tensors) // 2
        ):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed half-way"
    finished = {f for f in os.listdir(cache) if f.endswith(".npz") and not f.startswith(".")}
    assert len(tensors) // 2 <= len(finished) < len(tensors)
    resumed = evaluate_checkpoint(folder, n_jobs=1, cache=cache)
    recomputed = [m["tensor"] for m in resumed.spectra.info if m["computed"]]
    assert len(recomputed) == len(tensors) - len(finished)
    now = {f for f in os.listdir(cache) if f.endswith(".npz") and not f.startswith(".")}
    assert len(now) == len(tensors) and finished < now
    fresh = evaluate_checkpoint(folder, n_jobs=1)
    _close_json(_comparable(fresh), _comparable(resumed), rel=0)


def test_tied_head_is_named(tmp_path):
    t = transformer_tensors("llama", layers=1, d=8, ff=16, vocab=24, seed=9)
    t["lm_head.weight"] = t["model.embed_tokens.weight"].copy()
    write_checkpoint(tmp_path, t, dtype="bfloat16", shards=2)
    ev = evaluate_checkpoint(tmp_path, n_jobs=1)
    assert any("lm_head.weight holds the same values as model.embed_tokens.weight" in n for n in ev.notes)
    t.pop("lm_head.weight")
    write_checkpoint(tmp_path / "untied", t, dtype="bfloat16", shards=1)
    assert any(n.startswith("no lm_head tensor") for n in evaluate_checkpoint(tmp_path / "untied").notes)


def test_worker_error_reaches_the_caller_as_one_line(tmp_path, capsys):
    bad = np.ones((8, 8), np.float32)
    bad[3, 4] = np.nan
    write_checkpoint(tmp_path, {"a.weight": np.eye(8, dtype=np.float32), "b.weight": bad}, dtype="float32", shards=2)
    with pytest.raises(InputError, match=r"^layers='b.weight': shape \(8, 8\): contains NaN"):
        evaluate_checkpoint(tmp_path, n_jobs=2)
    assert main(["evaluate", str(tmp_path), "--jobs", "2", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "b.weight" in err and "NaN" in err


def test_bf16_layers_wider_than_256_keep_their_spectrum_on_both_paths(tmp_path):
    """bf16's epsilon times a side over 256 exceeds 1: a floor built from it would resolve no singular value (the
    in-order path crashed on every such file). The floor uses float32's epsilon at most (the decomposition's
    precision), so rank >= 1, r(p) <= rank, and both paths agree on the same file."""
    from schattheory.networks.evaluate import evaluate

    rng = np.random.default_rng(3)
    tensors = {
        "fc1.weight": rng.standard_normal((300, 64)).astype(np.float32),
        "fc2.weight": rng.standard_normal((10, 300)).astype(np.float32),
    }
    write_checkpoint(tmp_path, tensors, dtype="bfloat16", shards=1)
    path = next(tmp_path.glob("*.safetensors"))
    inorder = evaluate(str(path), n=1000, input_norm=1.0, margin=1.0, families=["bartlett2017"])
    pooled = evaluate_checkpoint(tmp_path, n_jobs=1, n=1000, input_norm=1.0, margin=1.0, families=["bartlett2017"])
    for ev in (inorder, pooled):
        for lay in ev.stats.layers:
            exact = np.linalg.svd(
                decoded(
                    tensors[lay.name + ".weight"] if lay.name + ".weight" in tensors else tensors[lay.name], "bfloat16"
                ).astype(np.float64),
                compute_uv=False,
            )
            assert lay.stored_dtype == "bfloat16"
            assert lay.noise_floor == pytest.approx(
                max(lay.shape) * float(np.finfo(np.float32).eps) * exact[0], rel=1e-6
            )
            assert 1 <= lay.rank == int(np.sum(exact > lay.noise_floor))
            assert 1 <= lay.rank_proxy(0.5) <= lay.rank
        assert ev.bounds
    assert [lay.rank for lay in inorder.stats.layers] == [lay.rank for lay in pooled.stats.layers]
