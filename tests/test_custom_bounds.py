"""Bounds of one's own for networks (schattheory.bounds.custom) and user modules on the command line (--load and
the entry-point group). Expected values are computed here from the weights with NumPy, not by the engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from schattheory.bounds.custom import network_bound
from schattheory.bounds.family import NetworkForm
from schattheory.bounds.network import evaluate_network, network_families, optimise_p, p_families
from schattheory.data import bundled_metadata, bundled_network, path
from schattheory.foundation.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
F, s, N, B, gamma, L, P, S = sp.symbols("F s N B gamma L P S")
p, rho, U, d, G = sp.symbols("p rho U d G")


@pytest.fixture(autouse=True)
def _restore_registry():
    """Statements registered by a test are removed after it (other tests list the registry)."""
    from schattheory.bounds import network
    from schattheory.core import registry

    registry.load_all()
    saved, users = dict(registry._REGISTRY), {k: dict(v) for k, v in network._USER.items()}
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)
    network._USER.clear()
    network._USER.update(users)


def _sigmas(stats):
    """The singular values of every layer of the network the statistics describe (biases folded as they are)."""
    return [np.sort(np.asarray(lay.sigma, dtype=float))[::-1] for lay in stats.layers]


def _frob_ratio_by_hand(stats):
    """B prod_l ||A_l||_2 / gamma * sqrt(L sum_l ||A_l||_F^2 / ||A_l||_2^2 / N), from the singular values."""
    sig = _sigmas(stats)
    ratio = sum(np.sum(sv**2) / sv[0] ** 2 for sv in sig)
    d = stats.data
    return d.input_norm * np.prod([sv[0] for sv in sig]) / d.margin * np.sqrt(len(sig) * ratio / d.n)


MODULE = """
import sympy as sp
from schattheory.bounds.custom import network_bound
F, s, N, B, gamma, L, P, S = sp.symbols("F s N B gamma L P S")
network_bound("{family}", terms={{"S": F**2 / s**2}}, outer=B * P / gamma * sp.sqrt(L * S / N),
              title="Frobenius-ratio bound")
"""


def test_own_form_evaluated_on_the_bundled_network_without_registering():
    form = network_bound(
        "test.unregistered", terms={"S": F**2 / s**2}, outer=B * P / gamma * sp.sqrt(L * S / N), register=False
    )
    assert isinstance(form, NetworkForm) and "test.unregistered" not in network_families()
    stats = bundled_network()
    v = evaluate_network(stats, form)  # was: TypeError, only built-in family names were accepted
    assert v.value == pytest.approx(_frob_ratio_by_hand(stats), rel=1e-10)
    assert v.key == "test.unregistered.dominant" and v.details["status"] == "new result"


def test_registered_family_by_name_and_by_its_bound():
    from schattheory.core import registry

    form = network_bound("test.byname", terms={"S": F**2 / s**2}, outer=B * P / gamma * sp.sqrt(L * S / N))
    assert "test.byname" in network_families()
    bound = registry.get("test.byname.dominant")
    assert bound.status.value == "new result"
    stats = bundled_network()
    a, b = evaluate_network(stats, "test.byname"), evaluate_network(stats, bound)
    assert a.log10_value == b.log10_value == evaluate_network(stats, form).log10_value
    # the registered depth-3 statement and the network engine agree on a 3-layer network
    from schattheory.foundation.netstats import DataStats, LayerStats, NetworkStats

    rng = np.random.default_rng(1)
    mats = [rng.standard_normal((5, 5)) for _ in range(3)]
    net = NetworkStats(
        tuple(LayerStats.from_matrix(f"l{i}", m) for i, m in enumerate(mats)),
        DataStats(n=100, input_norm=2.0, data_frobenius=20.0, margin=0.5),
    )
    vals = {"B": 2, "N": 100, "gamma": sp.Rational(1, 2)}
    for i, m in enumerate(mats, 1):
        sv = np.linalg.svd(m, compute_uv=False)
        vals[f"s_{i}"], vals[f"F_{i}"] = float(sv[0]), float(np.linalg.norm(m))
    assert float(bound.evaluate(vals)) == pytest.approx(evaluate_network(net, "test.byname").value, rel=1e-10)
    # the same definition again (a re-run notebook cell) is accepted; another one under the same name is not
    network_bound("test.byname", terms={"S": F**2 / s**2}, outer=B * P / gamma * sp.sqrt(L * S / N))
    with pytest.raises(InputError, match="already"):
        network_bound("test.byname", terms={"S": F / s}, outer=B * P / gamma * sp.sqrt(L * S / N))


@pytest.mark.parametrize(
    "terms, outer, match",
    [
        ({"S": sp.Symbol("Q")}, sp.sqrt(S / N), "Q"),  # unknown per-layer quantity
        ({"S": F}, sp.sqrt(F / N), "F"),  # a per-layer symbol in the outer form
        ({"F": F}, sp.sqrt(F / N), "aggregate"),  # an aggregate named like a quantity
        ({"S": "F**2"}, sp.sqrt(S / N), "strings"),  # strings are not parsed
    ],
)
def test_bad_definitions_are_one_line_errors(terms, outer, match):
    with pytest.raises(InputError, match=match):
        network_bound("test.bad", terms=terms, outer=outer, register=False)


def test_own_p_family_is_optimised_per_layer_like_brute_force():
    form = network_bound(
        "test.pfam", terms={"S": rho ** (2 / (p + 2)) * (U + d) * s ** (2 * p / (p + 2))}, outer=sp.sqrt(L * S / N)
    )
    assert form.uses_p and "test.pfam" in p_families()
    stats = bundled_network()
    grid = [0.25, 0.5, 1.0, 2.0]
    best = optimise_p(stats, grid, family="test.pfam")
    # brute force over the grid^L joint choices, from the singular values
    sig = _sigmas(stats)

    def term(l, q):
        r = np.sum((sig[l] / sig[l][0]) ** q)
        lay = stats.layers[l]
        return r ** (2 / (q + 2)) * (lay.out_features + lay.in_features) * sig[l][0] ** (2 * q / (q + 2))

    import itertools

    brute = min(
        np.sqrt(4 * sum(term(l, q) for l, q in enumerate(qs)) / stats.data.n)
        for qs in itertools.product(grid, repeat=4)
    )
    assert best.value == pytest.approx(brute, rel=1e-12)
    fixed = evaluate_network(stats, "test.pfam", p=1.0)
    assert fixed.value == pytest.approx(np.sqrt(4 * sum(term(l, 1.0) for l in range(4)) / stats.data.n), rel=1e-12)


def test_explicit_own_p_family_must_pay_for_the_grid():
    form = network_bound(
        "test.pfam_explicit", mode="explicit", terms={"S": rho ** (2 / (p + 2))}, outer=sp.sqrt(S / N), register=False
    )
    with pytest.raises(InputError, match="pay for the grid"):
        optimise_p(bundled_network(), [0.5, 1.0], family=form)


# ---- the command line ------------------------------------------------------------------------------------------
def _cli(args, pythonpath, cwd):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(pythonpath)]))
    return subprocess.run(
        [sys.executable, "-m", "schattheory", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


@pytest.mark.slow
def test_cli_load_lists_and_evaluates_a_user_module(tmp_path):
    (tmp_path / "my_research").mkdir()
    (tmp_path / "my_research" / "__init__.py").write_text("")
    (tmp_path / "my_research" / "bounds.py").write_text(MODULE.format(family="mine.frob"))
    out = _cli(["list", "mine", "--load", "my_research.bounds"], tmp_path, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "mine.frob.dominant" in out.stdout and "new result" in out.stdout
    data = bundled_metadata()["data"]
    out = _cli(
        [
            "evaluate",
            str(path("digits_mlp.npz")),
            "--load",
            "my_research.bounds",
            "--json",
            "--quiet",
            "--n",
            str(data["n"]),
            "--input-norm",
            repr(data["input_norm"]),
            "--margin",
            repr(data["margin"]),
            "--data-frobenius",
            repr(data["data_frobenius"]),
        ],
        tmp_path,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    rows = [b for b in json.loads(out.stdout)["bounds"] if b["key"] == "mine.frob.dominant"]
    assert len(rows) == 1
    # the same network and data statistics in this process, the bound by hand from its singular values
    from schattheory.networks.evaluate import evaluate

    ev = evaluate(
        str(path("digits_mlp.npz")),
        n=data["n"],
        input_norm=data["input_norm"],
        margin=data["margin"],
        data_frobenius=data["data_frobenius"],
        ps=(),
        families=["counting"],
    )
    assert rows[0]["value"] == pytest.approx(_frob_ratio_by_hand(ev.stats), rel=1e-9)
    assert rows[0]["details"]["status"] == "new result"
    # without --load the family is unknown to the command line
    out = _cli(["list", "mine"], tmp_path, tmp_path)
    assert out.returncode == 2 and "mine.frob" not in out.stdout
    # its statement in a LaTeX document and in show, from the same module
    out = _cli(
        ["latex", "--keys", "mine.frob.dominant", "--no-compile", "--out", "tex", "--load", "my_research.bounds"],
        tmp_path,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert "mine.\\allowbreak{}frob" in (tmp_path / "tex" / "schattheory.tex").read_text()
    out = _cli(["show", "mine.frob.dominant", "--load", "my_research.bounds"], tmp_path, tmp_path)
    assert out.returncode == 0 and "new result" in out.stdout and "\\" not in out.stdout


@pytest.mark.slow
def test_cli_entry_point_group_loads_without_flag(tmp_path):
    (tmp_path / "ep_bounds.py").write_text(MODULE.format(family="viaentry.frob"))
    dist = tmp_path / "ep_bounds-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ep-bounds\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[schattheory.bounds]\nmine = ep_bounds\n")
    out = _cli(["list", "viaentry"], tmp_path, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "viaentry.frob.dominant" in out.stdout


def test_cli_load_errors_are_one_line(tmp_path, capsys):
    from schattheory.outputs.cli import main

    assert main(["list", "--load", "no_such_module_xyz"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no_such_module_xyz" in err[0] and "no such module" in err[0]
    assert main(["list", "--load", "mod.py"]) == 2
    assert "dotted module name" in capsys.readouterr().err


def test_report_evaluates_own_families_too():
    from schattheory.outputs.report.network import evaluate_stats

    network_bound("test.inreport", terms={"S": F**2 / s**2}, outer=B * P / gamma * sp.sqrt(L * S / N))
    network_bound("test.inreport_p", terms={"S": rho ** (2 / (p + 2)) * (U + d)}, outer=sp.sqrt(L * S / N))
    stats = bundled_network()
    res = evaluate_stats(stats, ps=(1.0,), curves=False)
    rows = {(r["key"], r.get("p_rule")): r for r in res.bounds}
    assert rows[("test.inreport.dominant", None)]["value"] == pytest.approx(_frob_ratio_by_hand(stats), rel=1e-10)
    assert ("test.inreport_p.dominant", "fixed") in rows and ("test.inreport_p.dominant", "optimised per layer") in rows
