"""The digits study script: its margin rule, its gradients (against finite differences), determinism, the
bottleneck effect of weight decay, and the files it writes."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def study():
    spec = importlib.util.spec_from_file_location("digits_study", ROOT / "examples" / "digits_study.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def data(study):
    return study.load_digits_split(0, 1200)


def test_split_is_fixed_and_disjoint(study, data):
    Xtr, ytr, Xte, yte, digest = data
    assert Xtr.shape == (1200, 64) and Xte.shape == (597, 64)
    assert 0 <= Xtr.min() and Xtr.max() <= 1
    again = study.load_digits_split(0, 1200)
    assert np.array_equal(again[0], Xtr) and again[4] == digest
    rows = {r.tobytes() for r in Xtr}
    assert sum(r.tobytes() in rows for r in Xte) < 10  # digits has a few duplicate images, no systematic overlap


def test_margins_by_hand(study):
    logits = np.array([[3.0, 1.0, 0.0], [0.0, 2.0, 5.0]])
    assert study.margins(logits, np.array([0, 1])).tolist() == [2.0, -3.0]


def test_margin_rule_by_hand():
    from schattheory.outputs.report.margins import margin_for_accuracy_drop

    marg = np.array([-1.0, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])  # one error in ten
    gamma, loss = margin_for_accuracy_drop(marg, train_error=0.1, drop=0.1)
    # two points may lie at or below gamma: gamma sits just below the third smallest margin, 1.0
    assert 0.5 < gamma < 1.0 and gamma == pytest.approx(1.0) and loss == pytest.approx(0.2)
    gamma0, loss0 = margin_for_accuracy_drop(marg, train_error=0.1, drop=0.0)
    assert 0 < gamma0 < 0.5 and loss0 == pytest.approx(0.1)
    assert margin_for_accuracy_drop(marg)[1] == pytest.approx(0.1)  # default: 1 point above the training error


def _objective(study, weights, biases, X, y, wd):
    z = study.forward(weights, biases, X)
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -np.mean(logp[np.arange(len(y)), y]) + 0.5 * wd * sum(np.sum(W * W) for W in weights)


def test_gradient_matches_finite_differences(study, data):
    """One step from rest moves every parameter by -lr * gradient; compare with central differences."""
    Xtr, ytr = data[0][:200], data[1][:200]
    wd, lr = 0.01, 1.0
    w1, b1, _ = study.train_mlp(Xtr, ytr, depth=3, width=8, weight_decay=wd, steps=1, lr=lr, seed=3)
    w0, b0, _ = study.train_mlp(Xtr, ytr, depth=3, width=8, weight_decay=wd, steps=1, lr=0.0, seed=3)
    rng = np.random.default_rng(5)
    h = 1e-6
    for li in range(3):
        for _ in range(4):
            i, j = rng.integers(w0[li].shape[0]), rng.integers(w0[li].shape[1])
            plus = [W.copy() for W in w0]
            minus = [W.copy() for W in w0]
            plus[li][i, j] += h
            minus[li][i, j] -= h
            fd = (_objective(study, plus, b0, Xtr, ytr, wd) - _objective(study, minus, b0, Xtr, ytr, wd)) / (2 * h)
            step = (w0[li][i, j] - w1[li][i, j]) / lr
            assert step == pytest.approx(fd, rel=1e-5, abs=1e-8), (li, i, j)
        k = rng.integers(b0[li].shape[0])
        bp = [b.copy() for b in b0]
        bm = [b.copy() for b in b0]
        bp[li][k] += h
        bm[li][k] -= h
        fd = (_objective(study, w0, bp, Xtr, ytr, wd) - _objective(study, w0, bm, Xtr, ytr, wd)) / (2 * h)
        assert (b0[li][k] - b1[li][k]) / lr == pytest.approx(fd, rel=1e-5, abs=1e-8)


def test_training_is_deterministic(study, data):
    kw = dict(depth=2, width=16, weight_decay=1e-3, steps=50, lr=0.02, seed=1)
    a = study.train_mlp(data[0], data[1], **kw)
    b = study.train_mlp(data[0], data[1], **kw)
    assert all(np.array_equal(x, y) for x, y in zip(a[0], b[0]))


def test_weight_decay_lowers_the_rank_proxies(study, data):
    """The bottleneck-rank picture on a short run: weight decay shrinks the hidden layer's rank proxy at p = 1/2."""
    proxies = {}
    for wd in (0.0, 0.02):
        run = study.run_one(data, depth=3, width=32, weight_decay=wd, steps=600, lr=0.02, seed=0, bounds=False)
        proxies[wd] = run["layers"][1]["rank_proxy_p0.5"]
        assert run["layers"][1]["rank_rel0.01"] <= 32
    assert proxies[0.02] < 0.75 * proxies[0.0], proxies  # measured: 11.4 against 18.7


def test_script_writes_every_output(study, tmp_path):
    out = tmp_path / "res"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "digits_study.py"),
            "--out",
            str(out),
            "--depths",
            "2",
            "--weight-decays",
            "0",
            "0.01",
            "--width",
            "16",
            "--steps",
            "100",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "[digits] run 2/2" in proc.stderr and proc.stdout == ""
    res = json.loads((out / "results.json").read_text())
    assert [r["config"]["weight_decay"] for r in res["runs"]] == [0.0, 0.01]
    run = res["runs"][0]
    assert 0 <= run["test_error"] <= 1 and len(run["layers"]) == 2
    assert len(run["layers"][0]["sigma"]) == 16 and run["layers"][1]["shape"] == [10, 16]
    assert "bounds" in run and "bounds_status" in run
    with open(out / "layers.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and float(rows[0]["spectral"]) == pytest.approx(run["layers"][0]["spectral"])
    assert (out / "runs.csv").exists() and (out / "bounds.csv").exists()
    md = (out / "summary.md").read_text()
    assert "| 2 | 0.01 |" in md


def test_script_refuses_bad_sweep_settings():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "digits_study.py"), "--depths", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "bad sweep setting" in proc.stderr and "Traceback" not in proc.stderr
