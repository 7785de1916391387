"""Bad input: one clear InputError each through the API; through the CLI exit 2, one line, no traceback, no files."""

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from schattheory.foundation.errors import InputError
from schattheory.networks.evaluate import evaluate
from schattheory.outputs import cli

ROOT = Path(__file__).resolve().parents[1]
safetensors_numpy = pytest.importorskip("safetensors.numpy")


def _good(tmp_path):
    rng = np.random.default_rng(0)
    model = {
        "fc1.weight": rng.standard_normal((5, 4)).astype(np.float32),
        "fc2.weight": rng.standard_normal((3, 5)).astype(np.float32),
    }
    np.savez(tmp_path / "good.npz", **model)
    safetensors_numpy.save_file(model, str(tmp_path / "good.safetensors"))
    np.savez(tmp_path / "data.npz", X=rng.standard_normal((20, 4)), y=rng.integers(0, 3, 20))
    return model


def _cases(tmp_path):
    """name -> (CLI args after `evaluate`, expected fragment of the message)."""
    model = _good(tmp_path)
    raw_st = (tmp_path / "good.safetensors").read_bytes()
    raw_npz = (tmp_path / "good.npz").read_bytes()
    (tmp_path / "trunc.safetensors").write_bytes(raw_st[:-7])
    (tmp_path / "trunc.npz").write_bytes(raw_npz[: len(raw_npz) // 2])
    (tmp_path / "empty.safetensors").write_bytes(b"")
    (tmp_path / "junk.bin").write_bytes(b"this is not a weights file at all")
    (tmp_path / "badheader.safetensors").write_bytes(struct.pack("<Q", 16) + b"{not json!!!!!!}")
    corrupt = bytearray(raw_npz)
    i = corrupt.find(b"fc2.weight.npy")
    corrupt[i + 60 : i + 90] = b"\x00" * 30  # damage the second member's array header
    (tmp_path / "corrupt.npz").write_bytes(bytes(corrupt))
    np.savez(tmp_path / "unchained.npz", a=np.ones((5, 4)), b=np.ones((3, 6)))
    nan = dict(model)
    nan["fc2.weight"] = nan["fc2.weight"].copy()
    nan["fc2.weight"][1, 2] = np.nan
    np.savez(tmp_path / "nan.npz", **nan)
    inf = dict(model)
    inf["fc1.weight"] = inf["fc1.weight"].copy()
    inf["fc1.weight"][0, 0] = np.inf
    safetensors_numpy.save_file(inf, str(tmp_path / "inf.safetensors"))
    np.savez(tmp_path / "onedim.npz", fc1=np.ones(5), fc2=np.ones(3))
    np.savez(tmp_path / "wrongdim.npz", X=np.ones((10, 7)), y=np.zeros(10, int))
    d = str(tmp_path)
    return {
        "truncated safetensors": ([f"{d}/trunc.safetensors"], "truncated"),
        "truncated npz": ([f"{d}/trunc.npz"], "zip"),
        "corrupted npz member": ([f"{d}/corrupt.npz"], "corrupted"),
        "corrupted safetensors header": ([f"{d}/badheader.safetensors"], "corrupted safetensors header"),
        "empty file": ([f"{d}/empty.safetensors"], "empty file"),
        "unrecognised file": ([f"{d}/junk.bin"], "not an .npz, .safetensors or PyTorch file"),
        "missing file": ([f"{d}/nothere.npz"], "no such file"),
        "shapes do not chain": ([f"{d}/unchained.npz"], "do not match the 5 outputs"),
        "NaN weights": ([f"{d}/nan.npz"], "contains NaN entries"),
        "inf weights": ([f"{d}/inf.safetensors"], "contains inf entries"),
        "1-D tensors as layers": ([f"{d}/onedim.npz", "--layers", "fc*"], "1-D tensor"),
        "data dimension mismatch": (
            [f"{d}/good.npz", "--data", f"{d}/wrongdim.npz", "--margin", "1"],
            "X has 7 features but the first layer",
        ),
        "negative margin": ([f"{d}/good.npz", "--data", f"{d}/data.npz", "--margin", "-0.5"], "must be > 0"),
        "zero margin": ([f"{d}/good.npz", "--n", "10", "--input-norm", "1", "--margin", "0"], "must be > 0"),
        "margin percentile below zero": (
            [f"{d}/good.npz", "--data", f"{d}/data.npz", "--margin-percentile", "1"],
            "<= 0",
        ),
        "data without margin": ([f"{d}/good.npz", "--data", f"{d}/data.npz"], "needs an explicit margin"),
        "incomplete --n": ([f"{d}/good.npz", "--n", "10"], "give all of --n, --input-norm and --margin"),
        "bad input size": ([f"{d}/good.npz", "--input-size", "3y"], "HxW"),
    }


CASE_NAMES = [
    "truncated safetensors",
    "truncated npz",
    "corrupted npz member",
    "corrupted safetensors header",
    "empty file",
    "unrecognised file",
    "missing file",
    "shapes do not chain",
    "NaN weights",
    "inf weights",
    "1-D tensors as layers",
    "data dimension mismatch",
    "negative margin",
    "zero margin",
    "margin percentile below zero",
    "data without margin",
    "incomplete --n",
    "bad input size",
]


#: these cases also run as a real process (exit status, nothing on stdout, no traceback from start-up to exit); the
#: others call the command line in-process, which checks the same message, status and files
SUBPROCESS_CASES = ("truncated safetensors", "NaN weights", "missing file")


@pytest.mark.parametrize("case", CASE_NAMES)
def test_cli_one_line_exit_2_no_files(tmp_path, case, capsys):
    args, fragment = _cases(tmp_path)[case]
    plots = tmp_path / "plots"
    before = set(os.listdir(tmp_path))
    argv = ["evaluate", *args, "--json", "--plot", str(plots)]
    if case in SUBPROCESS_CASES:
        proc = subprocess.run(
            [sys.executable, "-m", "schattheory", *argv], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    else:
        code = cli.main(argv)
        out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("schattheory evaluate: error: ") and fragment in lines[0], lines[0]
    assert set(os.listdir(tmp_path)) == before  # no plot directory, no partial file


def test_api_raises_input_error(tmp_path):
    cases = _cases(tmp_path)
    d = str(tmp_path)
    for case in ("truncated safetensors", "empty file", "shapes do not chain", "NaN weights", "1-D tensors as layers"):
        args, fragment = cases[case]
        layers = args[2] if len(args) > 2 else None
        with pytest.raises(InputError, match=fragment.split("(")[0][:20].replace(".", r"\.")):
            evaluate(args[0], layers=layers)
    with pytest.raises(InputError, match="X has 7 features"):
        evaluate(f"{d}/good.npz", data=f"{d}/wrongdim.npz", margin=1)
    with pytest.raises(InputError, match="1-D tensor"):
        evaluate([np.ones((3, 2)), np.ones(3)])
    with pytest.raises(InputError, match="labels range over"):
        np.savez(tmp_path / "labels.npz", X=np.ones((4, 4)), y=np.array([0, 1, 2, 3]))
        evaluate(f"{d}/good.npz", data=f"{d}/labels.npz", margin=1)
    with pytest.raises(InputError, match="p=-1"):
        evaluate(f"{d}/good.npz", ps=(-1,))


def test_plot_failure_leaves_no_partial_files(tmp_path, monkeypatch):
    """A failure while rendering the second figure: nothing at all is left in the plot directory."""
    from schattheory.networks import plots

    ev = evaluate([np.diag([2.0, 1.0]), np.eye(2)], ps=(1,))
    monkeypatch.setattr(plots, "_rank_proxy_figure", lambda ev, sweep: (_ for _ in ()).throw(RuntimeError("boom")))
    target = tmp_path / "figs"
    target.mkdir()
    with pytest.raises(RuntimeError):
        plots.write_plots(ev, target)
    assert list(target.iterdir()) == []

    class Exploding:
        """A figure whose PDF rendering fails after the PNGs were staged."""

        def __init__(self, fig):
            self.fig = fig

        def savefig(self, fh, format, **kw):
            if format == "pdf":
                raise OSError("disk full")
            return self.fig.savefig(fh, format=format, **kw)

    monkeypatch.undo()
    real = plots._spectra_figure
    monkeypatch.setattr(plots, "_spectra_figure", lambda ev: Exploding(real(ev)))
    with pytest.raises(OSError):
        plots.write_plots(ev, target)
    assert list(target.iterdir()) == []


def test_json_stays_valid_and_strict(tmp_path):
    _good(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "schattheory", "evaluate", str(tmp_path / "good.npz"), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
