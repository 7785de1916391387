"""Evaluation orchestration and output formats, against a stand-in for the bound families' API.

The stand-in (``_FakeBounds``) implements the API of ``schattheory.bounds.network`` with trivial made-up values; it
tests the plumbing (which families/modes/p are asked for, skip reasons, JSON/CSV/Markdown/plots), never a bound
formula. The real module is exercised in tests/test_evaluate_bounds.py.
"""

import csv
import io
import json
import math
import subprocess
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from schattheory.foundation.errors import InputError
from schattheory.foundation.output import MARKER
from schattheory.networks.evaluate import evaluate
from schattheory.networks.synthetic import synthetic_network
from schattheory.outputs import cli

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class FakeValue:
    key: str
    family: str
    mode: str
    p: object
    log10_value: float
    value: object
    details: dict = field(default_factory=dict)


def _fake_module(calls):
    mod = types.ModuleType("schattheory.bounds.network")

    def network_families():
        return ["demo", "ledent2025", "huge"]

    def evaluate_network(stats, family, mode="dominant", p=None, *, delta=0.01):
        calls.append((family, mode, p))
        if stats.data is None:
            raise InputError("data", None, "needed")
        if family == "demo" and mode == "explicit":
            raise InputError("mode", mode, "demo has no explicit form")
        log10 = {"demo": 1.0, "huge": 400.0}.get(family, 2.0 + (p or 0))
        return FakeValue(f"{family}.{mode}", family, mode, p, log10, 10**log10 if log10 < 300 else None)

    def optimise_ledent_p(stats, grid=None, mode="dominant", *, delta=0.01):
        calls.append(("ledent2025", mode, "opt"))
        return FakeValue(f"ledent2025.{mode}.opt", "ledent2025", mode, tuple([0.5] * stats.depth), 1.5, 10**1.5)

    def ledent_layer_terms_log10(stats, p):
        return np.log10([lay.spectral for lay in stats.layers]) * p

    mod.network_families, mod.evaluate_network = network_families, evaluate_network
    mod.optimise_ledent_p, mod.ledent_layer_terms_log10 = optimise_ledent_p, ledent_layer_terms_log10
    return mod


@pytest.fixture
def fake_bounds(monkeypatch):
    import schattheory.bounds

    calls = []
    fake = _fake_module(calls)
    monkeypatch.setitem(sys.modules, "schattheory.bounds.network", fake)
    monkeypatch.setattr(schattheory.bounds, "network", fake, raising=False)  # what `from ..bounds import network` sees
    return calls


@pytest.fixture
def model(tmp_path):
    net = synthetic_network(3, 6, in_features=4, out_features=3, decay=0.7, dtype=np.float32)
    np.savez(tmp_path / "net.npz", **{f"l{i}.weight": w for i, w in enumerate(net)})
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "data.npz", X=rng.standard_normal((30, 4)), y=rng.integers(0, 3, 30))
    return tmp_path


def test_every_family_mode_and_p_is_asked_for(model, fake_bounds):
    ev = evaluate(model / "net.npz", n=100, input_norm=1.0, margin=0.1, ps=(0.5, 1))
    asked = set(fake_bounds)
    for mode in ("dominant", "explicit"):
        assert {("demo", mode, None), ("huge", mode, None), ("ledent2025", mode, "opt")} <= asked
        assert {("ledent2025", mode, 0.5), ("ledent2025", mode, 1.0)} <= asked
    assert [(s["family"], s["mode"]) for s in ev.skipped] == [("demo", "explicit")]
    assert "no explicit form" in ev.skipped[0]["reason"]
    opt = [b for b in ev.bounds if b["p_rule"] == "optimised per layer"]
    assert len(opt) == 2 and opt[0]["p"] == [0.5, 0.5, 0.5]


def test_json_contract(model, fake_bounds):
    ev = evaluate(model / "net.npz", data=model / "data.npz", margin_percentile=99, ps=(0.5, 2))
    doc = json.loads(ev.to_json())
    assert len(doc["layers"]) == 3
    for row in doc["layers"]:
        assert {"name", "shape", "spectral", "frobenius", "nuclear", "stable_rank", "rank", "rank_proxy"} <= set(row)
        assert set(row["rank_proxy"]) == {"0.5", "2"}
    assert doc["layers"][0]["shape"] == [6, 4]
    for b in doc["bounds"]:
        assert {"key", "mode", "p", "value", "log10_value"} <= set(b)
        assert isinstance(b["log10_value"], float) and math.isfinite(b["log10_value"])
    huge = [b for b in doc["bounds"] if b["family"] == "huge"]
    assert huge and all(b["value"] is None and b["log10_value"] == 400.0 for b in huge)  # beyond float64: null
    demo = [b for b in doc["bounds"] if b["family"] == "demo"][0]
    assert demo["value"] == pytest.approx(10.0)
    assert doc["data"]["n"] == 30 and doc["data"]["margin_rule"] == "percentile 99"


def test_without_data_every_bound_is_skipped_with_the_reason(model, fake_bounds):
    ev = evaluate(model / "net.npz")
    assert ev.bounds == [] and fake_bounds == []
    assert {(s["family"], s["mode"]) for s in ev.skipped} == {
        (f, m) for f in ("demo", "ledent2025", "huge") for m in ("dominant", "explicit")
    }
    assert all(s["reason"].startswith("no data statistics") for s in ev.skipped)
    skipped = [line for line in ev.to_text().splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and skipped[0].startswith("skipped 6 bounds: demo (dominant; explicit)"), skipped
    assert "): no data statistics" in skipped[0]


def test_a_broken_bound_module_fails_loudly(model, monkeypatch):
    """No fallback: when the bound families cannot be imported, evaluation fails instead of reporting no bounds."""
    import schattheory.bounds

    monkeypatch.setitem(sys.modules, "schattheory.bounds.network", None)
    monkeypatch.delattr(schattheory.bounds, "network", raising=False)
    with pytest.raises(ImportError):
        evaluate(model / "net.npz", n=10, input_norm=1.0, margin=1.0)


def test_cli_formats(model, fake_bounds, capsys):
    base = ["evaluate", str(model / "net.npz"), "--n", "100", "--input-norm", "2", "--margin", "0.5", "--p", "1"]
    assert cli.main(base + ["--json"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert doc["ps"] == [1.0] and doc["data"]["data_frobenius"] == pytest.approx(20.0)
    assert cli.main(base + ["--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["kind"] for r in rows].count("layer") == 3 and any(r["kind"] == "bound" for r in rows)
    assert cli.main(base + ["--markdown"]) == 0
    md = capsys.readouterr().out
    assert md.count("| layer | shape |") == 1 and "| bound | mode | p |" in md
    assert cli.main(base) == 0
    text = capsys.readouterr().out
    assert "l0.weight" in text and "ledent2025.dominant" in text and "10^400.00" in text
    assert "skipped demo (explicit" in text


def test_cli_json_stdout_is_clean_and_progress_goes_to_stderr(model):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "schattheory",
            "evaluate",
            str(model / "net.npz"),
            "--json",
            "--progress",
            "--method",
            "gram",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)
    assert "[1/3] l0.weight (6x4)" in proc.stderr and "[3/3]" in proc.stderr


def test_dataframe(model):
    pd = pytest.importorskip("pandas")
    ev = evaluate(model / "net.npz", ps=(1,))
    df = ev.to_dataframe()
    assert isinstance(df, pd.DataFrame) and len(df) == 3 and "rank_proxy_1" in df.columns


def test_plots_png_and_pdf(model, fake_bounds, tmp_path):
    ev = evaluate(model / "net.npz", n=100, input_norm=1.0, margin=0.1, ps=(1,))
    written = ev.plot(tmp_path / "figs")
    names = sorted(Path(p).name for p in written)
    assert names == sorted(f"{n}.{e}" for n in ("bound_vs_p", "spectra", "rank_proxy") for e in ("png", "pdf"))
    for p in written:
        head = Path(p).read_bytes()[:8]
        assert head.startswith(b"\x89PNG") if p.endswith(".png") else head.startswith(b"%PDF")
    assert [p.name for p in (tmp_path / "figs").iterdir() if p.name.startswith(".")] == [MARKER]  # no temporaries
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging directory left
    ev_many = evaluate(synthetic_network(14, 5), n=100, input_norm=1.0, margin=0.1)  # heat maps beyond 12 layers
    assert len(ev_many.plot(tmp_path / "many", formats=("png",))) == 3


def test_cli_plot_option(model, fake_bounds, tmp_path, capsys):
    assert cli.main(["evaluate", str(model / "net.npz"), "--json", "--quiet", "--plot", str(tmp_path / "p")]) == 0
    json.loads(capsys.readouterr().out)
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == sorted(
        [MARKER] + [f"{n}.{e}" for n in ("spectra", "rank_proxy") for e in ("png", "pdf")]
    )  # no bound-vs-p figure


def test_conv_model_through_the_cli(tmp_path, capsys):
    rng = np.random.default_rng(0)
    model = {
        "conv1.weight": rng.standard_normal((4, 3, 3, 3)).astype(np.float32),
        "conv1.bias": np.zeros(4),
        "conv2.weight": rng.standard_normal((4, 4, 3, 3)).astype(np.float32),
        "fc.weight": rng.standard_normal((10, 4 * 8 * 8)).astype(np.float32),
    }
    np.savez(tmp_path / "cnn.npz", **model)
    # the padding is not in an .npz: without --padding/--padding-mode a conv layer with an input size is refused
    assert cli.main(["evaluate", str(tmp_path / "cnn.npz"), "--input-size", "8x8", "--json"]) == 2
    assert "padding" in capsys.readouterr().err
    assert (
        cli.main(["evaluate", str(tmp_path / "cnn.npz"), "--input-size", "8x8", "--padding-mode", "circular", "--json"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    conv = doc["layers"][0]
    # conv1's bias is folded as a constant input channel (3 + 1 channels; it is the last layer with a bias, so no
    # constant output channel)
    assert conv["kind"] == "conv" and conv["num_singular_values"] == 4 * 64 and conv["exact"] is True
    assert conv["multiplicity"] == 64 and conv["operator_shape"] == [4 * 64, 4 * 64]
    assert conv["spectrum"] == "exact (circular, Sedghi et al.)"
    assert (
        cli.main(
            ["evaluate", str(tmp_path / "cnn.npz"), "--input-size", "conv1.weight=8x8", "--padding", "same", "--json"]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)  # small: the explicit operator, exact
    assert doc["layers"][0]["exact"] is True and doc["layers"][0]["spectrum"] == "exact (explicit operator)"
    assert any("filter matrix" in n for n in doc["notes"])  # conv2 had no input size


def test_networks_modules_do_not_import_sympy():
    code = (
        "import sys; from schattheory.outputs import cli; cli.build_parser(); "
        "import schattheory.networks.evaluate, schattheory.networks.spectra, schattheory.networks.data; "
        "print('sympy' in sys.modules, 'matplotlib' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False", "False"], out.stderr
