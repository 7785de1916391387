"""The bundled default network: small, self-consistent, its statistics belong to its weights, and the digits study
script reproduces it (skipped, with the reason, where the numerical environment differs from the recorded one)."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from schattheory import data as bundled

ROOT = Path(__file__).resolve().parent.parent


def _study():
    spec = importlib.util.spec_from_file_location("digits_study", ROOT / "examples" / "digits_study.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def meta():
    return bundled.bundled_metadata()


@pytest.fixture(scope="module")
def layers():
    return bundled.load_weights(bundled.path(bundled.MODEL_FILE))


def test_files_are_small_and_shipped_as_package_data():
    sizes = {name: bundled.path(name).stat().st_size for name in (bundled.MODEL_FILE, bundled.STATS_FILE)}
    assert sum(sizes.values()) < 1_000_000, sizes
    text = (ROOT / "pyproject.toml").read_text()
    assert '"data/*"' in text  # package data: the files travel with the wheel


def test_weights_torch_orientation_biases_kept_and_chained(layers, meta):
    shapes = [W.shape for _, W, _ in layers]
    assert shapes == [(64, 64), (64, 64), (64, 64), (10, 64)]  # (out, in): 64 pixels in, 10 classes out
    assert all(b is not None and b.shape == (W.shape[0],) for _, W, b in layers)
    assert len(layers) == meta["config"]["depth"]


def test_metadata_hash_matches_the_weights(layers, meta):
    arrays = {}
    for name, W, b in layers:
        arrays[f"{name}.weight"], arrays[f"{name}.bias"] = W, b
    digest = hashlib.sha256(b"".join(arrays[k].tobytes() for k in sorted(arrays))).hexdigest()
    assert digest == meta["model_sha256"]


def test_margin_statistics_are_consistent(meta):
    d = meta["data"]
    marg = np.array(d["margins"])
    assert len(marg) == d["n"] == 1200
    # a wrong prediction is exactly a negative margin (no exact ties in float64 logits)
    assert np.mean(marg < 0) == pytest.approx(meta["train_error"])
    assert d["min_margin"] == marg.min() < 0  # training errors exist: the minimum is not a usable gamma
    gamma = d["margin"]
    assert gamma > 0
    assert np.mean(marg <= gamma) == pytest.approx(d["margin_loss"])
    # the rule: loss <= train error + 1 point, and gamma is the largest such value (the next margin breaks it)
    assert d["margin_loss"] <= meta["train_error"] + 0.01 + 1e-12
    nxt = marg[marg > gamma].min()
    assert np.mean(marg <= nxt) > meta["train_error"] + 0.01


def test_network_stats_from_bundled_files():
    net = bundled.bundled_network()
    assert len(net.extras["activation_norms"]) == net.depth
    assert net.depth == 4 and net.widths == [65, 65, 65, 65, 10]  # biases folded: 64 + the constant
    assert net.data.n == 1200 and net.data.num_classes == 10 and net.data.margin > 0
    layers = bundled.load_weights(bundled.path(bundled.MODEL_FILE))
    meta = bundled.bundled_metadata()["data"]
    for i, (lay, (_, W, b)) in enumerate(zip(net.layers, layers)):
        A = np.hstack([W, b[:, None]])  # [W, b], and the carry row [0, 1] except on the last layer
        if i < 3:
            A = np.vstack([A, np.r_[np.zeros(W.shape[1]), 1.0][None, :]])
        assert lay.spectral == pytest.approx(np.linalg.norm(A, 2), rel=1e-12)
        assert lay.frobenius == pytest.approx(np.linalg.norm(A), rel=1e-12)
        assert lay.norm21 == pytest.approx(np.linalg.norm(A, axis=1).sum(), rel=1e-12)
        assert net.extras["activation_norms"][i] == pytest.approx(np.hypot(meta["activation_norms"][i], 1.0))
    assert net.data.input_norm == pytest.approx(np.hypot(meta["input_norm"], 1.0), rel=1e-12)
    assert net.data.data_frobenius == pytest.approx(np.sqrt(meta["data_frobenius"] ** 2 + 1200), rel=1e-12)


def test_statistics_belong_to_these_weights(layers, meta):
    """Recompute B, ||X||_F and every margin from the digits data and the bundled weights (needs scikit-learn)."""
    pytest.importorskip("sklearn")
    study = _study()
    Xtr, ytr, Xte, yte, digest = study.load_digits_split(meta["config"]["seed"], meta["config"]["n_train"])
    if digest != meta["data_sha256"]:
        pytest.skip("scikit-learn's digits data differ from the ones the bundled network was trained on")
    weights = [W for _, W, _ in layers]
    biases = [b for _, _, b in layers]
    d = meta["data"]
    assert d["input_norm"] == pytest.approx(max(np.sqrt((Xtr**2).sum(axis=1))), rel=1e-12)
    assert d["data_frobenius"] == pytest.approx(np.sqrt((Xtr**2).sum()), rel=1e-12)
    logits = study.forward(weights, biases, Xtr)
    np.testing.assert_allclose(study.margins(logits, ytr), d["margins"], rtol=1e-9, atol=1e-9)
    assert np.mean(study.forward(weights, biases, Xte).argmax(axis=1) != yte) == pytest.approx(meta["test_error"])
    # B_(l-1,A): the largest activation norm entering each layer, by an explicit loop over the layers
    h, norms = Xtr, []
    for i, (W, b) in enumerate(zip(weights, biases)):
        norms.append(max(np.sqrt((h**2).sum(axis=1))))
        h = h @ W.T + b
        h = np.maximum(h, 0) if i < len(weights) - 1 else h
    np.testing.assert_allclose(d["activation_norms"], norms, rtol=1e-12)
    assert d["activation_norms"][0] == d["input_norm"]


def _environment_differs(study, meta) -> str:
    v = study.versions()
    rec = meta["versions"]
    if study.rng_fingerprint(meta["config"]["seed"]) != meta["rng_fingerprint"]:
        return "NumPy's default_rng stream differs from the recorded one"
    if v["numpy"] != rec["numpy"]:
        return f"NumPy {v['numpy']} here, {rec['numpy']} recorded"
    if v["blas"] != rec["blas"]:
        return f"BLAS {v['blas']} here, {rec['blas']} recorded (products differ in the last bits)"
    return ""


@pytest.mark.slow
def test_the_script_reproduces_the_bundled_network(layers, meta):
    pytest.importorskip("sklearn")
    study = _study()
    why = _environment_differs(study, meta)
    if why:
        pytest.skip(f"cannot expect a reproduction: {why}")
    run = study.bundled_run()
    if run["data_sha256"] != meta["data_sha256"]:
        pytest.skip("scikit-learn's digits data differ from the recorded ones")
    assert run["config"] == meta["config"]
    for (name, W, b), W2, b2 in zip(layers, run["weights"], run["biases"]):
        np.testing.assert_allclose(W2, W, rtol=1e-6, atol=1e-9 * np.abs(W).max(), err_msg=name)
        np.testing.assert_allclose(b2, b, rtol=1e-6, atol=1e-9 * max(np.abs(b).max(), 1e-12), err_msg=name)
    assert run["test_error"] == meta["test_error"]
    assert run["train_error"] == meta["train_error"]
    np.testing.assert_allclose(run["data"]["margins"], meta["data"]["margins"], rtol=1e-6, atol=1e-8)


def test_bundled_network_needs_no_optional_dependency():
    """Reading the bundled network and building the report must work with scikit-learn and matplotlib absent.

    strict: a section that fails raises instead of becoming an unavailable section. The claims audit and the main
    theorem are left out: they use no optional package (the theorem evaluates the network through the bounds API
    the bounds section uses here), they take most of a report's time, and, unstrict, a failure of theirs would have
    passed unnoticed here anyway."""
    code = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('sklearn', 'matplotlib', 'pandas', 'torch'):
            raise ImportError('blocked: ' + name)
sys.meta_path.insert(0, Block())
import tempfile, pathlib
from schattheory.data import bundled_network
from schattheory.outputs.report.builder import build_report
net = bundled_network()
out = pathlib.Path(tempfile.mkdtemp()) / 'rep'
res = build_report(out, latex=False, progress=lambda m: None, strict=True, skip=('audit', 'theorem'))
text = (out / 'report.md').read_text()
assert 'No figures: matplotlib is not installed' in text, text
assert not list(out.glob('*.png'))
print('ok', net.depth)
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("ok 4")
