"""Hostile input corpus: every bad argument gives exit 2 and one line on stderr naming it, no traceback, nothing
written or changed, in bounded time (and, for the inputs built to exhaust memory, bounded memory).

Every file is generated here, in the test's temporary folder, which is also the working directory (so ``--out ''``
would land there). Most cases run the CLI in-process (fast); the cases that would allocate gigabytes or run for
minutes without their checks run in a subprocess under an address-space limit (RLIMIT_AS) and a timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from schattheory.foundation.errors import InputError
from schattheory.outputs.cli import main

ROOT = Path(__file__).resolve().parents[1]
#: seconds a refused input may take in-process (registry imports included, on a loaded machine)
IN_PROCESS_SECONDS = 20
#: address space of the subprocess cases: the interpreter with numpy and the package needs about 0.5 GiB
MEMORY_LIMIT = 1536 * 2**20


# ---- generated files ---------------------------------------------------------------------------------------------
def _safetensors(path, entries, data: bytes):
    """A safetensors file written by hand: ``entries`` is the header (any JSON, however wrong), then ``data``."""
    head = json.dumps(entries).encode()
    Path(path).write_bytes(struct.pack("<Q", len(head)) + head + data)


def _st_entry(dtype="F32", shape=(2, 2), offsets=(0, 16)):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": list(offsets)}


def _npz_bomb(path, rows=16384, cols=16384):
    """An .npz whose one member decompresses to rows x cols float64 zeros (2 GiB) from about 2 MB: the same
    flushed DEFLATE block of 16 MiB of zeros, repeated (a full flush makes each copy independent)."""
    buf = __import__("io").BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": (rows, cols)})
    header = buf.getvalue()
    chunk = 1 << 24
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(header) + comp.flush(zlib.Z_FULL_FLUSH)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(b"\0" * chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    total = rows * cols * 8
    repeats = total // chunk
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    body = first + block * repeats + tail
    size = len(header) + repeats * chunk
    name = b"fc1.weight.npy"
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(body), size, len(name), 0) + name
    central = (
        struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, 0, len(body), size, len(name), 0, 0, 0, 0, 0, 0
        )
        + name
    )
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local) + len(body), 0)
    Path(path).write_bytes(local + body + central + end)


def _files(d: Path) -> dict:
    """Generate every input file; return name -> path text."""
    rng = np.random.default_rng(0)
    good = {
        "fc1.weight": rng.standard_normal((5, 4)).astype(np.float32),
        "fc2.weight": rng.standard_normal((3, 5)).astype(np.float32),
    }
    np.savez(d / "good.npz", **good)
    np.savez(
        d / "complex_last.npz",
        **{"fc1.weight": good["fc1.weight"], "fc2.weight": good["fc2.weight"].astype(np.complex64)},
    )
    np.savez(
        d / "int8_last.npz", **{"fc1.weight": good["fc1.weight"], "fc2.weight": good["fc2.weight"].astype(np.int8)}
    )
    np.savez(
        d / "complex_bias.npz",
        **{"fc1.weight": good["fc1.weight"], "fc1.bias": np.ones(5) * 1j, "fc2.weight": good["fc2.weight"]},
    )
    np.savez(d / "conv.npz", **{"conv1.weight": rng.standard_normal((4, 3, 3, 3)).astype(np.float32)})
    # an array header promising 50000 x 50000 float64 over a few bytes: numpy would allocate 18.6 GiB first
    with zipfile.ZipFile(d / "header_lie.npz", "w") as zf:
        buf = __import__("io").BytesIO()
        np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": (50000, 50000)})
        zf.writestr("fc1.weight.npy", buf.getvalue() + b"\0" * 64)
    with zipfile.ZipFile(d / "pickled_module.pt", "w") as zf:  # torch.save(model): a zip with data.pkl
        zf.writestr("archive/data.pkl", b"\x80\x02ctorch.nn\nLinear\nq\x00)\x81q\x01.")
    data16 = np.ones(4, np.float32).tobytes()
    st = {
        "st_negative": ({"w": _st_entry(offsets=(-8, 8))}, data16),
        "st_overlap": (
            {
                "a": _st_entry(shape=(2, 1), offsets=(0, 8)),
                "b": _st_entry(shape=(2, 1), offsets=(4, 12)),
                "c": _st_entry(shape=(1,), offsets=(12, 16)),
            },
            data16,
        ),
        "st_float_shape": ({"w": _st_entry(shape=(2.0, 2))}, data16),
        "st_string_offsets": ({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": ["0", "16"]}}, data16),
        "st_beyond": ({"w": _st_entry(offsets=(0, 16)), "v": _st_entry(offsets=(16, 32))}, data16),
        "st_bad_size": ({"w": _st_entry(shape=(3, 3))}, data16),
        "st_unknown_dtype": ({"w": _st_entry(dtype="C64")}, data16),
        "st_entry_list": ({"w": [1, 2, 3]}, data16),
        "st_header_list": ([1, 2], b""),
        "st_huge_shape": ({"w": _st_entry(shape=(2**31, 2**31), offsets=(0, 16))}, data16),
    }
    for name, (header, data) in st.items():
        _safetensors(d / f"{name}.safetensors", header, data)
    (d / "junk.bin").write_bytes(b"not a weights file at all, just text")
    (d / "empty.npz").write_bytes(b"")
    raw = (d / "good.npz").read_bytes()
    (d / "truncated.npz").write_bytes(raw[: len(raw) // 2])
    np.savez(d / "train.npz", X=rng.standard_normal((20, 4)), y=rng.integers(0, 3, 20))
    # statistics JSON for `report --data`, and result rows for `latex --results`
    stats = {"n": 100, "input_norm": 1.0, "data_frobenius": 10.0, "margin": 0.5}
    nested = "[" * 5000 + "]" * 5000
    jsons = {
        "stats_list.json": json.dumps([stats]),
        "stats_data5.json": json.dumps({"data": 5}),
        "stats_n_null.json": json.dumps(dict(stats, n=None)),
        "stats_nested.json": nested,
        "stats_nested_object.json": json.dumps(
            {"data": dict(stats, margin=[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]])}
        ),
        "stats_margin_string.json": json.dumps(dict(stats, margin="0.5")),
        "stats_bool_n.json": json.dumps(dict(stats, n=True)),
        "stats_negative_norm.json": json.dumps(dict(stats, input_norm=-1)),
        "stats_act_norms.json": json.dumps(dict(stats, activation_norms=[1.0, 2.0, 3.0])),
        "stats_not_json.json": "{n: 100",
        "res_mode_list.json": json.dumps({"bounds": [{"key": "k", "mode": ["a"], "log10_value": 1.0}]}),
        "res_log_list.json": json.dumps({"bounds": [{"key": "k", "log10_value": [1.0]}]}),
        "res_p_dict.json": json.dumps({"bounds": [{"key": "k", "log10_value": 1.0, "p": {"x": 1}}]}),
        "res_key_number.json": json.dumps({"bounds": [{"key": 5, "log10_value": 1.0}]}),
        "res_rows_numbers.json": json.dumps({"bounds": [1, 2]}),
        "res_nested.json": nested,
        "res_nan.json": '{"bounds": [{"key": "k", "log10_value": NaN}]}',
    }
    for name, text in jsons.items():
        (d / name).write_text(text, encoding="utf-8")
    (d / "binary.json").write_bytes(b"\xff\xfe\x00\x01binary")
    # a folder of the user's own (must never be touched) and a file where a folder is expected
    mine = d / "mine"
    mine.mkdir()
    for f in ("refs.bib", "schattheory.tex", "schattheory.pdf", "report.md", "spectra.png"):
        (mine / f).write_text(f"the user's own {f}\n")
    (d / "afile").write_text("a file\n")
    outside = d / "elsewhere" / "target"
    outside.mkdir(parents=True)
    inner = d / "inner"
    inner.mkdir()
    os.symlink(outside, inner / "link_out")
    os.symlink(d / "does-not-exist", d / "dangling")
    return {p.name: str(p) for p in d.iterdir()}


def _snapshot(root: Path) -> dict:
    """Every path under ``root`` with its kind, mode and content (links: their target)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = os.lstat(p)
            if p.is_symlink():
                out[str(p)] = ("link", os.readlink(p))
            elif p.is_dir():
                out[str(p)] = ("dir", st.st_mode)
            else:
                out[str(p)] = ("file", st.st_mode, hashlib.sha256(p.read_bytes()).hexdigest())
    return out


# ---- the corpus: (argv, the argument the message must name, a fragment of the reason) -----------------------------
def _cases(f):
    m = f["good.npz"]
    latex = ["latex", "--keys", "schatten.norm", "--no-compile"]
    return {
        # outputs never clobber what the toolkit did not write
        "latex --out ''": (["latex", "--out", "", "--no-compile"], "--out=''", "is empty"),
        "latex --out a user's folder": (["latex", "--out", f["mine"], "--no-compile"], "--out=", "did not write"),
        "latex --out a file": (["latex", "--out", f["afile"], "--no-compile"], "--out=", "not a directory"),
        "latex --out below a file": (
            ["latex", "--out", f["afile"] + "/doc", "--no-compile"],
            "--out=",
            "is not a directory",
        ),
        "latex --out a link outside": (
            ["latex", "--out", f["inner"] + "/link_out", "--no-compile"],
            "--out=",
            "pointing outside",
        ),
        "latex --out a dangling link": (["latex", "--out", f["dangling"], "--no-compile"], "--out=", "does not exist"),
        "latex --out unwritable": (
            ["latex", "--out", "/proc/schattheory-doc", "--no-compile"],
            "--out=",
            "cannot be written",
        ),
        "report --out ''": (["report", "--out", "", "--no-figures", "--no-latex"], "out=''", "is empty"),
        "report --out a user's folder": (
            ["report", "--out", f["mine"], "--no-figures", "--no-latex"],
            "out=",
            "did not write",
        ),
        "report --out a dangling link": (["report", "--out", f["dangling"]], "out=", "does not exist"),
        "report --out unwritable": (["report", "--out", "/proc/schattheory-report"], "out=", "cannot be written"),
        "evaluate --plot a user's folder": (["evaluate", m, "--plot", f["mine"]], "--plot=", "did not write"),
        "evaluate --plot ''": (["evaluate", m, "--plot", ""], "--plot=''", "is empty"),
        "evaluate --force without --plot": (["evaluate", m, "--force"], "--force=", "--plot only"),
        # report --data statistics JSON shapes
        "report stats a list": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_list.json"]],
            "data=",
            "must be a JSON object, not a list",
        ),
        "report stats data=5": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_data5.json"]],
            "data=",
            "'data' block must be a JSON object",
        ),
        "report stats n null": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_n_null.json"]],
            "data=",
            "field 'n' must be an integer >= 1, not null",
        ),
        "report stats deeply nested": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_nested.json"]],
            "data=",
            "nested too deeply",
        ),
        "report stats nested value": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_nested_object.json"]],
            "data=",
            "nested too deeply",
        ),
        "report stats margin string": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_margin_string.json"]],
            "data=",
            "field 'margin'",
        ),
        "report stats n boolean": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_bool_n.json"]],
            "data=",
            "field 'n'",
        ),
        "report stats negative norm": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_negative_norm.json"]],
            "data=",
            "field 'input_norm'",
        ),
        "report stats activation norms": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_act_norms.json"]],
            "data=",
            "3 activation_norms",
        ),
        "report stats not JSON": (
            ["report", "--out", "r", "--model", m, "--data", f["stats_not_json.json"]],
            "data=",
            "not valid JSON",
        ),
        "report stats binary": (
            ["report", "--out", "r", "--model", m, "--data", f["binary.json"]],
            "data=",
            "not UTF-8",
        ),
        "report missing model": (["report", "--out", "r", "--model", "nowhere.npz"], "model=", "no such file"),
        "report complex model": (
            ["report", "--out", "r", "--model", f["complex_last.npz"], "--data", f["train.npz"]],
            "layers='fc2.weight'",
            "complex",
        ),
        # latex --results rows
        "latex results mode list": (
            latex + ["--out", "d", "--results", f"n={f['res_mode_list.json']}"],
            "--results=",
            "field 'mode'",
        ),
        "latex results log10 list": (
            latex + ["--out", "d", "--results", f"n={f['res_log_list.json']}"],
            "--results=",
            "field 'log10_value'",
        ),
        "latex results p dict": (
            latex + ["--out", "d", "--results", f"n={f['res_p_dict.json']}"],
            "--results=",
            "field 'p'",
        ),
        "latex results key number": (
            latex + ["--out", "d", "--results", f"n={f['res_key_number.json']}"],
            "--results=",
            "field 'key'",
        ),
        "latex results rows numbers": (
            latex + ["--out", "d", "--results", f"n={f['res_rows_numbers.json']}"],
            "--results=",
            "must be a JSON object",
        ),
        "latex results nested": (
            latex + ["--out", "d", "--results", f"n={f['res_nested.json']}"],
            "--results=",
            "nested too deeply",
        ),
        "latex results NaN": (
            latex + ["--out", "d", "--results", f"n={f['res_nan.json']}"],
            "--results=",
            "field 'log10_value'",
        ),
        "latex results missing": (latex + ["--out", "d", "--results", "n=nowhere.json"], "--results=", "no such file"),
        "latex results no name": (
            latex + ["--out", "d", "--results", f["res_nan.json"]],
            "--results=",
            "NAME=FILE.json",
        ),
        "latex bad name": (latex + ["--out", "d", "--name", "../x"], "name=", "letters"),
        # weights: dtypes never dropped, headers validated, sizes bounded
        "evaluate complex last layer": (["evaluate", f["complex_last.npz"]], "layers='fc2.weight'", "complex"),
        "evaluate int8 last layer": (["evaluate", f["int8_last.npz"]], "layers='fc2.weight'", "int8"),
        "evaluate complex bias": (["evaluate", f["complex_bias.npz"]], "layers='fc1.bias'", "complex"),
        "evaluate npz header lie": (["evaluate", f["header_lie.npz"]], "model=", "header promises"),
        "evaluate st negative offsets": (["evaluate", f["st_negative.safetensors"]], "model=", "negative"),
        "evaluate st overlapping": (["evaluate", f["st_overlap.safetensors"]], "model=", "overlap"),
        "evaluate st float shape": (["evaluate", f["st_float_shape.safetensors"]], "model=", "integers"),
        "evaluate st string offsets": (["evaluate", f["st_string_offsets.safetensors"]], "model=", "two integers"),
        "evaluate st beyond data": (["evaluate", f["st_beyond.safetensors"]], "model=", "truncated"),
        "evaluate st size mismatch": (["evaluate", f["st_bad_size.safetensors"]], "model=", "do not match"),
        "evaluate st unknown dtype": (["evaluate", f["st_unknown_dtype.safetensors"]], "model=", "unsupported dtype"),
        "evaluate st entry list": (["evaluate", f["st_entry_list.safetensors"]], "model=", "corrupted"),
        "evaluate st header list": (["evaluate", f["st_header_list.safetensors"]], "model=", "unrecognised"),
        "evaluate st huge shape": (["evaluate", f["st_huge_shape.safetensors"]], "model=", "do not match"),
        "evaluate pickled module": (["evaluate", f["pickled_module.pt"]], "model=", "torch"),
        "evaluate padding word": (
            ["evaluate", f["conv.npz"], "--input-size", "8x8", "--padding", "lots"],
            "padding=",
            "must be",
        ),
        # kinds that already passed
        "evaluate missing file": (["evaluate", "nowhere.npz"], "model='nowhere.npz'", "no such file"),
        "evaluate missing data first": (["evaluate", "nowhere.npz", "--data", "none.npz"], "model=", "no such file"),
        "evaluate junk": (["evaluate", f["junk.bin"]], "model=", "unrecognised"),
        "evaluate empty": (["evaluate", f["empty.npz"]], "model=", "empty file"),
        "evaluate truncated": (["evaluate", f["truncated.npz"]], "model=", "zip"),
        "evaluate zero margin": (["evaluate", m, "--n", "10", "--input-norm", "1", "--margin", "0"], "margin=", "> 0"),
        "evaluate data without margin": (["evaluate", m, "--data", f["train.npz"]], "margin=", "explicit margin"),
        "evaluate bad grid": (["evaluate", m, "--grid", "a,b"], "grid=", "comma-separated"),
        "evaluate bad input size": (["evaluate", f["conv.npz"], "--input-size", "3y"], "input-size=", "HxW"),
        "show unknown key": (["show", "schatten.nrom"], "unknown key", "close matches"),
        "list unknown prefix": (["list", "zzz"], "prefix=", "no registered key"),
        "claims bad timeout": (["claims", "--timeout", "0"], "--timeout=", "> 0"),
    }


#: cases that, without their checks, would allocate gigabytes or run for minutes: run in a limited subprocess
HEAVY = {
    "evaluate npz bomb": (["evaluate", "{bomb}"], "model=", "refused"),
    "evaluate conv input size": (
        ["evaluate", "{conv.npz}", "--input-size", "100000x100000", "--padding-mode", "circular"],
        "input-size=",
        "GiB",
    ),
    "evaluate conv padding": (
        ["evaluate", "{conv.npz}", "--input-size", "8x8", "--padding", "100000"],
        "padding=",
        "GiB",
    ),
    "evaluate npz header lie": (["evaluate", "{header_lie.npz}"], "model=", "header promises"),
    "evaluate st huge shape": (["evaluate", "{st_huge_shape.safetensors}"], "model=", "do not match"),
}


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    files = _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path, files


def _check_one_line(err: str, command: str, argument: str, fragment: str):
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith(f"schattheory {command}: error: "), line
    assert argument in line and fragment in line, line
    assert "\x1b" not in line and ".tmp-" not in line, line  # no colour codes, no internal temporary path


def _case_names():
    class Any(dict):
        def __missing__(self, key):
            return key

    return list(_cases(Any()))


@pytest.mark.parametrize("name", _case_names())
def test_refused_in_process(corpus, capsys, name):
    root, files = corpus
    argv, argument, fragment = _cases(files)[name]
    if "unwritable" in name and not os.path.isdir("/proc/self"):
        pytest.skip("no /proc here (the read-only place the unwritable cases use)")
    before = _snapshot(root)
    t0 = time.perf_counter()
    rc = main(argv)
    seconds = time.perf_counter() - t0
    out, err = capsys.readouterr()
    assert rc == 2, (out, err)
    _check_one_line(err, argv[0], argument, fragment)
    assert _snapshot(root) == before  # nothing written, nothing changed, no staging left
    assert seconds < IN_PROCESS_SECONDS


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.mark.parametrize("name", sorted(HEAVY))
def test_refused_in_bounded_memory_and_time(corpus, name):
    root, files = corpus
    _npz_bomb(root / "bomb.npz")
    files["bomb"] = str(root / "bomb.npz")
    argv, argument, fragment = HEAVY[name]
    argv = [files[a[1:-1]] if a.startswith("{") else a for a in argv]
    before = _snapshot(root)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-m", "schattheory", *argv],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
        env=env,
    )
    assert proc.returncode == 2, proc.stderr
    _check_one_line(proc.stderr, argv[0], argument, fragment)
    assert _snapshot(root) == before


# ---- the same checks through the Python API -----------------------------------------------------------------------
def test_safetensors_validated_without_the_package(tmp_path):
    from schattheory.networks.formats import SafetensorsSource

    files = _files(tmp_path)
    for name, fragment in (
        ("st_negative", "negative"),
        ("st_overlap", "overlap"),
        ("st_float_shape", "integers"),
        ("st_beyond", "truncated"),
    ):
        with pytest.raises(InputError, match=fragment):
            SafetensorsSource(files[f"{name}.safetensors"], use_package=False)


def test_many_tiny_tensors_are_read_in_linear_time(tmp_path):
    """20000 1 x 1 tensors: the header check and the plan take well under a few seconds (the quadratic path took
    minutes); doubling the count at most about doubles the time."""
    from schattheory.networks.loaders import plan_model

    def build(n):
        header = {f"l{i}.weight": _st_entry(shape=(1, 1), offsets=(4 * i, 4 * i + 4)) for i in range(n)}
        path = tmp_path / f"many{n}.safetensors"
        _safetensors(path, header, np.ones(n, np.float32).tobytes())
        t0 = time.perf_counter()
        plan = plan_model(str(path))
        assert len(plan.layers) == n
        return time.perf_counter() - t0

    small, large = build(5000), build(20000)
    assert large < 15 and large < 4 * small * 2.5, (small, large)


def test_dps_and_registry_key_are_checked():
    from schattheory.core import registry
    from schattheory.numerics import matrix

    t0 = time.perf_counter()
    with pytest.raises(InputError, match="dps=1000000: must be at most"):
        matrix.schatten_norm(np.eye(2), 1, dps=10**6)
    assert time.perf_counter() - t0 < 1
    with pytest.raises(InputError, match="key=None"):
        registry.get(None)
    with pytest.raises(InputError, match="key=\\['a'\\]"):
        registry.get(["a"])


def test_outputs_follow_the_umask(tmp_path):
    from schattheory.foundation.output import staged_output

    old = os.umask(0o022)
    try:
        with staged_output(tmp_path / "out") as tmp:
            (tmp / "a.txt").write_text("x")
            (tmp / "sub").mkdir()
        assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
        assert (tmp_path / "out" / "a.txt").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_a_toolkit_folder_is_replaced_whole_and_a_user_folder_only_with_force(tmp_path):
    from schattheory.foundation.output import MARKER, OutputError, staged_output

    out = tmp_path / "out"
    with staged_output(out) as tmp:
        (tmp / "first.txt").write_text("1")
    with staged_output(out) as tmp:
        (tmp / "second.txt").write_text("2")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "second.txt"]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    (mine / "notes").mkdir()
    with pytest.raises(OutputError, match="did not write"):
        with staged_output(mine) as tmp:
            pass
    with staged_output(mine, force=True) as tmp:
        (tmp / "thesis.pdf").write_text("ours")
    assert sorted(p.name for p in mine.iterdir()) == ["notes", "thesis.pdf", "thesis.tex"]
    assert (mine / "thesis.tex").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "out"]  # no staging folder left


def test_a_link_inside_its_folder_is_followed(tmp_path):
    from schattheory.foundation.output import staged_output

    real = tmp_path / "real"
    os.symlink(real, tmp_path / "alias")
    real.mkdir()
    with staged_output(tmp_path / "alias") as tmp:
        (tmp / "a.txt").write_text("x")
    assert (tmp_path / "alias").is_symlink() and (real / "a.txt").read_text() == "x"


def test_force_no_compile_keeps_the_users_pdf(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "schattheory.pdf").write_bytes(b"%PDF the user's own")
    assert main(["latex", "--out", str(mine), "--keys", "schatten.norm", "--no-compile", "--force"]) == 0
    assert (mine / "schattheory.pdf").read_bytes() == b"%PDF the user's own"
    assert capsys.readouterr().out.split() == [str(mine / "schattheory.tex"), str(mine / "refs.bib")]


def test_a_decompression_bomb_is_refused_from_the_zip_directory(tmp_path):
    """512 MiB of zeros from about 0.5 MB: under the size limit, refused by its compression ratio, before reading."""
    from schattheory.networks.formats import NpzSource

    _npz_bomb(tmp_path / "bomb.npz", rows=8192, cols=8192)
    assert (tmp_path / "bomb.npz").stat().st_size < 2**20
    with pytest.raises(InputError, match="decompression bomb"):
        NpzSource(str(tmp_path / "bomb.npz"))


def test_a_pickled_module_is_one_clean_line(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    torch.save(torch.nn.Sequential(torch.nn.Linear(3, 2)), tmp_path / "module.pt")
    assert main(["evaluate", str(tmp_path / "module.pt")]) == 2
    _check_one_line(capsys.readouterr().err, "evaluate", "model=", "save model.state_dict() instead")
