"""`schattheory report`: what it writes, that re-running replaces cleanly, that a failure leaves the previous
report untouched, that bad input fails before anything is written, and that missing sections say why."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from schattheory.data import MODEL_FILE, STATS_FILE
from schattheory.data import path as data_path
from schattheory.foundation.output import MARKER
from schattheory.outputs.cli import main
from schattheory.outputs.report import builder

ROOT = Path(__file__).resolve().parent.parent


def quiet(msg):
    pass


FAST = {"figures": False, "latex": False, "progress": quiet, "skip": ("audit", "theorem")}


@pytest.fixture(scope="module")
def full_report(tmp_path_factory):
    """One full run through the CLI (figures and LaTeX included), as a user would start it."""
    out = tmp_path_factory.mktemp("rep") / "schattheory-report"
    proc = subprocess.run(
        [sys.executable, "-m", "schattheory", "report", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return out, proc


def test_cli_run_writes_the_report(full_report):
    out, proc = full_report
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"schattheory report -> {out}/report.md")
    assert "[report] read the network: 4 layers" in proc.stderr and "[report] wrote" in proc.stderr
    assert "[report]" not in proc.stdout  # progress goes to stderr only
    md = (out / "report.md").read_text()
    for heading in ("## Claims audit", "## The main theorem", "## The bundled network", "## How this report was made"):
        assert heading in md
    assert "| fc2 | 65x65 |" in md and "true test error 0.0201" in md  # [[W, b], [0, 1]]
    assert "biases folded by homogeneous coordinates" in md
    assert (out / MARKER).exists()
    assert not list(out.parent.glob(f".{out.name}.*"))  # no temporary directory left beside it


def test_report_json_carries_the_numbers(full_report):
    out, _ = full_report
    rep = json.loads((out / "report.json").read_text())
    keys = [s["key"] for s in rep["sections"]]
    assert keys[:3] == ["audit", "theorem", "network"] and keys[-1] == "about"
    net = next(s for s in rep["sections"] if s["key"] == "network")["data"]
    z = np.load(data_path(MODEL_FILE))
    W, b = z["fc1.weight"], z["fc1.bias"]  # the folded operator [[W, b], [0, 1]], by numpy
    A = np.block([[W, b[:, None]], [np.zeros((1, W.shape[1])), np.ones((1, 1))]])
    assert net["layers"][0]["spectral"] == pytest.approx(np.linalg.norm(A, 2), rel=1e-12)
    assert net["layers"][0]["nuclear"] == pytest.approx(np.linalg.norm(A, "nuc"), rel=1e-12)
    assert net["data"]["n"] == 1200


def test_figures_are_png(full_report):
    pytest.importorskip("matplotlib")
    out, _ = full_report
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert {"spectra.png", "rank_proxy.png"} <= set(pngs)
    for name in pngs:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({name})" in (out / "report.md").read_text()


def test_unavailable_sections_say_why(full_report):
    out, _ = full_report
    rep = json.loads((out / "report.json").read_text())
    md = (out / "report.md").read_text()
    for sec in rep["sections"]:
        if not sec["available"]:
            assert sec["reason"] and sec["reason"] in md


def test_rerun_replaces_the_previous_report(tmp_path):
    out = tmp_path / "rep"
    builder.build_report(out, **FAST)
    (out / "stale.txt").write_text("from an older run")
    builder.build_report(out, **FAST)
    assert not (out / "stale.txt").exists() and (out / "report.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]


def test_failure_leaves_the_previous_report_untouched(tmp_path, monkeypatch):
    out = tmp_path / "rep"
    builder.build_report(out, **FAST)
    before = (out / "report.md").read_text()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builder, "render", boom)
    with pytest.raises(RuntimeError):
        builder.build_report(out, **FAST)
    assert (out / "report.md").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rep"]  # the half-built copy is gone


def test_failure_on_first_run_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(builder, "render", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        builder.build_report(tmp_path / "rep", **FAST)
    assert list(tmp_path.iterdir()) == []


def test_a_failing_section_is_reported_not_fatal(tmp_path, monkeypatch):
    from schattheory.outputs.report import audit

    monkeypatch.setattr(audit, "build", lambda context=None: 1 / 0)
    msgs = []
    res = builder.build_report(tmp_path / "rep", figures=False, latex=False, progress=msgs.append, skip=("theorem",))
    sec = res.section("audit")
    assert not sec.available and "ZeroDivisionError" in sec.reason
    assert any("failed" in m for m in msgs)
    with pytest.raises(ZeroDivisionError):
        builder.build_report(tmp_path / "rep", **FAST | {"skip": ("theorem",)}, strict=True)


def test_refuses_to_replace_a_foreign_directory(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    assert main(["report", "--out", str(out), "--no-figures", "--no-latex"]) == 2
    err = _error_lines(capsys.readouterr().err)
    assert len(err) == 1 and "error: out='" in err[0] and "refusing" in err[0]
    assert (out / "thesis.tex").read_text() == "precious" and len(list(out.iterdir())) == 1


def test_an_empty_directory_is_used(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    builder.build_report(out, **FAST)
    assert (out / "report.md").exists()


def _error_lines(err: str) -> list:
    return [line for line in err.splitlines() if not line.startswith("[report]")]


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--model", "nowhere.npz"], "model='nowhere.npz': no such file"),
        (["--data", "stats.json"], "needs --model"),
        (["--margin", "1"], "needs --model and --data"),
        (["--model", "{model}", "--margin", "1"], "applies to --data FILE.npz"),
        (["--model", "{bad}"], ("cannot be read as an .npz", "is not an .npz")),  # without / with the loaders
        (["--model", "{model}", "--data", "{text}"], "must be a statistics .json"),
        (["--model", "{model}", "--data", "{badjson}"], "is not valid JSON"),
        (["--model", "{model}", "--data", "{partial}"], "lacks the field 'margin'"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(tmp_path, capsys, argv, needle):
    files = {
        "bad": tmp_path / "bad.npz",
        "badjson": tmp_path / "s.json",
        "model": tmp_path / "m.npz",
        "text": tmp_path / "d.txt",
        "partial": tmp_path / "p.json",
    }
    files["bad"].write_bytes(b"not a zip file")
    files["badjson"].write_text("{oops")
    files["text"].write_text("1 2 3")
    files["partial"].write_text(json.dumps({"n": 10, "input_norm": 1.0, "data_frobenius": 2.0}))
    shutil.copy(data_path(MODEL_FILE), files["model"])
    argv = [a.format(**files) for a in argv]
    out = tmp_path / "rep"
    assert main(["report", "--out", str(out), "--no-figures", "--no-latex"] + argv) == 2
    err = _error_lines(capsys.readouterr().err)
    needles = needle if isinstance(needle, tuple) else (needle,)
    assert len(err) == 1 and any(n in err[0] for n in needles), err
    assert not out.exists()


def test_given_model_and_statistics_match_the_bundled_run(tmp_path):
    model = tmp_path / "net.npz"
    stats = tmp_path / "net.json"
    shutil.copy(data_path(MODEL_FILE), model)
    shutil.copy(data_path(STATS_FILE), stats)
    a = builder.build_report(tmp_path / "a", **FAST)
    b = builder.build_report(tmp_path / "b", model=model, data=stats, **FAST)
    la, lb = a.section("network").data, b.section("network").data
    assert la["data"] == lb["data"] and len(la["layers"]) == len(lb["layers"])
    for ra, rb in zip(la["layers"], lb["layers"]):
        assert rb["name"].startswith(ra["name"])  # the loaders name a layer by its tensor, e.g. fc1.weight
        for k, v in ra.items():
            if k != "name":
                assert rb[k] == pytest.approx(v, rel=1e-12), k
    assert str(model) in lb["source"]


def test_model_without_data_shows_layers_and_says_why_no_bounds(tmp_path):
    model = tmp_path / "net.npz"
    shutil.copy(data_path(MODEL_FILE), model)
    res = builder.build_report(tmp_path / "r", model=model, **FAST)
    md = (tmp_path / "r" / "report.md").read_text()
    assert "| fc1" in md and "| 65x65 |" in md and "no data statistics" in md
    assert res.section("network").data["bounds"] == []


# ---- with the bound families, the derivation engine and the audit present ----------------------------------------
def _bundled_result(ps=(0.5, 1.0, 2.0)):
    from schattheory.data import bundled_network
    from schattheory.outputs.report.network import evaluate_stats

    return evaluate_stats(bundled_network(), ps=ps, curves=False)


def _row(result, key, mode, p=None):
    rows = [r for r in result.bounds if r["key"] == key and r["mode"] == mode and r["p"] == p]
    assert len(rows) == 1, (key, mode, p, [(r["key"], r["p"]) for r in result.bounds])
    return rows[0]


def test_bound_values_match_hand_formulas():
    """The wiring (data statistics, layers) checked against formulas computed here from the raw weights."""
    z = np.load(data_path(MODEL_FILE))
    W = []  # the folded operators [[W, b], [0, 1]] (last layer [W, b]), by numpy
    for i in range(1, 5):
        A = np.hstack([z[f"fc{i}.weight"], z[f"fc{i}.bias"][:, None]])
        W.append(np.vstack([A, np.r_[np.zeros(A.shape[1] - 1), 1.0][None, :]]) if i < 4 else A)
    meta = json.loads(data_path(STATS_FILE).read_text())["data"]
    N, gamma, L = meta["n"], meta["margin"], 4
    B, XF = np.hypot(meta["input_norm"], 1.0), np.sqrt(meta["data_frobenius"] ** 2 + N)  # augmented inputs
    s = [np.linalg.norm(A, 2) for A in W]
    res = _bundled_result(ps=(1e-7, 1e7))
    # parameter counting sqrt(L sum w_l w_{l-1} / N)
    count = np.sqrt(L * sum(A.size for A in W) / N)
    assert _row(res, "counting.dominant", "dominant")["value"] == pytest.approx(count, rel=1e-9)
    # Bartlett et al.: ||X||_F prod s (sum (||A^T||_{2,1}/s)^(2/3))^(3/2) / (gamma N)
    n21 = [np.linalg.norm(A, axis=1).sum() for A in W]
    bart = XF * np.prod(s) * sum((b / t) ** (2 / 3) for b, t in zip(n21, s)) ** 1.5 / (gamma * N)
    assert _row(res, "bartlett2017.dominant", "dominant")["value"] == pytest.approx(bart, rel=1e-9)
    # the main bound near p -> 0+: sqrt(L/N sum_l rank_l (U_l + d_l-1)); near p -> oo: X sqrt(L * L / N), W_l = 1
    ranks = [np.linalg.matrix_rank(A) for A in W]
    p0 = np.sqrt(L / N * sum(r * (A.shape[0] + A.shape[1]) for r, A in zip(ranks, W)))
    X = B * np.prod(s) / gamma
    assert _row(res, "ledent2025.fc.dominant", "dominant", 1e-7)["value"] == pytest.approx(p0, rel=1e-4)
    assert _row(res, "ledent2025.fc.dominant", "dominant", 1e7)["value"] == pytest.approx(
        X * np.sqrt(L * L / N), rel=1e-4
    )


def test_every_family_is_evaluated_or_says_why():
    from schattheory.bounds import network as api

    res = _bundled_result()
    for family in api.network_families():
        for mode in ("dominant", "explicit"):
            got = [r for r in res.bounds if r["family"] == family and r["mode"] == mode]
            why = [s for s in res.skipped if s["family"] == family and s["mode"] == mode]
            assert got or (why and all(s["reason"] for s in why)), (family, mode)
    assert all(np.isfinite(r["log10_value"]) for r in res.bounds)


def test_per_layer_optimum_beats_every_common_p_in_dominant_mode():
    res = _bundled_result()
    opt = [r for r in res.bounds if r["p_rule"] == "optimised per layer" and r["mode"] == "dominant"]
    assert opt
    for o in opt:
        assert len(o["p"]) == 4
        fixed = [r for r in res.bounds if r["key"] == o["key"] and r["mode"] == "dominant" and r["p_rule"] == "fixed"]
        assert fixed and all(o["log10_value"] <= r["log10_value"] + 1e-12 for r in fixed)


def test_report_sections_with_their_modules(full_report):
    out, _ = full_report
    rep = {s["key"]: s for s in json.loads((out / "report.json").read_text())["sections"]}
    md = (out / "report.md").read_text()
    if rep["audit"]["available"]:
        claims = rep["audit"]["data"]["claims"]
        assert [c["id"] for c in claims] == [f"C{i:02d}" for i in range(1, 15)]
        assert sum(rep["audit"]["data"]["counts"].values()) == 14
        assert all(f"| {c['id']} |" in md for c in claims)
    if rep["theorem"]["available"]:
        forms = {f["p"]: f["value"] for f in rep["theorem"]["data"]["forms"]}
        assert forms["p -> 0+"] == "a*rho" and forms["p -> oo"] == "Omega*X**2"
        assert "| p -> 0+ | a*rho | symbolic |" in md
        from schattheory.core.registry import keys

        if "ledent2025.per_layer" in keys("ledent2025"):  # the separately encoded bound declares the same limits
            assert md.count("| yes |") >= 2
    if rep["network"]["data"]["bounds"]:
        assert (out / "main_bound_vs_p.png").exists() or "No figures" in md
        assert "tightest dominant bound" in md
    if rep.get("latex", {}).get("available") and rep["latex"]["data"]["compiled"]:
        pdf = out / rep["latex"]["data"]["files"][-1]
        assert pdf.suffix == ".pdf" and pdf.read_bytes()[:5] == b"%PDF-"


def test_data_file_reproduces_the_bundled_statistics(tmp_path):
    """--data X.npz through the loaders' forward pass gives the statistics stored with the bundled network."""
    pytest.importorskip("sklearn")
    import importlib.util

    spec = importlib.util.spec_from_file_location("digits_study", ROOT / "examples" / "digits_study.py")
    study = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(study)
    Xtr, ytr, _, _, _ = study.load_digits_split(0, 1200)
    data = tmp_path / "digits_train.npz"
    np.savez(data, X=Xtr, y=ytr)
    from schattheory.outputs.report.inputs import load_network

    stats, _ = load_network(data_path(MODEL_FILE), data)
    meta = json.loads(data_path(STATS_FILE).read_text())["data"]
    assert stats.data.n == meta["n"]
    for field in ("margin", "margin_loss"):
        assert getattr(stats.data, field) == pytest.approx(meta[field], rel=1e-9), field
    # the inputs carry the folded biases' constant 1
    assert stats.data.input_norm == pytest.approx(np.hypot(meta["input_norm"], 1.0), rel=1e-9)
    assert stats.data.data_frobenius == pytest.approx(np.sqrt(meta["data_frobenius"] ** 2 + meta["n"]), rel=1e-9)
    np.testing.assert_allclose(stats.extras["activation_norms"], np.hypot(meta["activation_norms"], 1.0), rtol=1e-9)
    given, _ = load_network(data_path(MODEL_FILE), data, margin=1.0)
    assert given.data.margin == 1.0 and given.data.margin_rule == "given"
    assert given.data.margin_loss == pytest.approx(np.mean(np.array(meta["margins"]) <= 1.0))
