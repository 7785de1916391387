"""Progress lines, the GPU path (skips without CUDA) and the cache's atomic writes."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import numpy as np
import pytest

from schattheory.networks.checkpoint import plan_checkpoint
from schattheory.networks.engine import Settings, run_jobs
from schattheory.networks.progress import SpectraProgress
from schattheory.networks.spectra_cache import SpectraCache


def _plan():
    rng = np.random.default_rng(0)
    return plan_checkpoint({f"l{i}.weight": rng.standard_normal((8, 6)).astype(np.float32) for i in range(3)})


def test_plain_progress_line_counts_tensors_bytes_and_time_left():
    plan = _plan()
    buf = io.StringIO()
    prog = SpectraProgress(plan.jobs, stream=buf, interval=0.0, use_tqdm=False)
    run_jobs(plan.jobs, reader=plan.source, progress=prog)
    lines = buf.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("spectra: 1/3 tensors, 0.0 MiB of 0.0 MiB read") and "left" in lines[0]
    assert lines[-1].startswith("spectra: 3/3 tensors") and lines[-1].endswith("0:00:00 left")


def test_cuda_matches_cpu_to_1e_5():
    torch = pytest.importorskip("torch", reason="torch is not installed: no GPU path to check")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device on this machine: the GPU path cannot be checked here")
    plan = _plan()
    cpu = run_jobs(plan.jobs, reader=plan.source)
    gpu = run_jobs(plan.jobs, reader=plan.source, settings=Settings(device="cuda"))
    for a, b in zip(cpu, gpu):
        sa, sb = a["parts"][0]["sigma"], b["parts"][0]["sigma"]
        assert np.max(np.abs(sa - sb)) <= 1e-5 * sa[0]


def test_cuda_refused_with_one_line_when_absent():
    from schattheory.foundation.errors import InputError
    from schattheory.networks.gpu import check_device

    try:
        import torch

        if torch.cuda.is_available():
            pytest.skip("a CUDA device exists here")
    except ImportError:
        pass
    with pytest.raises(InputError, match="^device='cuda': "):
        check_device("cuda")
    with pytest.raises(InputError, match="^device='tpu': must be cpu or cuda"):
        check_device("tpu")


def test_cache_leaves_no_partial_entry_on_failure(tmp_path):
    cache = SpectraCache(tmp_path)

    class Boom:
        def __array__(self, *a, **k):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        cache.put("k", {"sigma": Boom()})
    assert os.listdir(tmp_path) == [] and cache.get("k") is None


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_scale_pow2_is_ldexp_bit_for_bit(dtype):
    from schattheory.numerics.matrix import scale_pow2

    rng = np.random.default_rng(1)
    info = np.finfo(dtype)
    for k in (-2 * info.maxexp, -info.maxexp - 5, -info.maxexp + 3, -7, 0, 9, info.maxexp - 3, 2 * info.maxexp):
        a = rng.standard_normal((30, 20)) * 2.0 ** rng.uniform(info.minexp - 10, info.maxexp - 2, (30, 20))
        a = a.astype(dtype)
        with np.errstate(all="ignore"):
            ref = np.ldexp(a, k).astype(dtype, copy=False)
            got = scale_pow2(a, int(k))
        assert got.dtype == dtype and np.array_equal(ref, got, equal_nan=True), k


def test_every_decomposition_runs_on_one_blas_thread(tmp_path):
    """Serial and pooled runs agree bit for bit only because each decomposition uses one BLAS thread; the test
    process pins BLAS through the environment (conftest.py), so the check runs in a process that does not."""
    pytest.importorskip("threadpoolctl", reason="threadpoolctl (the checkpoints extra) is not installed")
    code = (
        "import sys, numpy as np\n"
        "from threadpoolctl import threadpool_info\n"
        "from schattheory.networks import engine, spectra\n"
        "from schattheory.networks.checkpoint import plan_checkpoint\n"
        "from schattheory.networks.synthetic_checkpoint import write_checkpoint\n"
        "def blas_threads():\n"
        "    return max(i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas')\n"
        "rng = np.random.default_rng(0)\n"
        "write_checkpoint(sys.argv[1], {'fc1.weight': rng.standard_normal((64, 48)).astype(np.float32),\n"
        "                               'fc2.weight': rng.standard_normal((8, 64)).astype(np.float32)},\n"
        "                 dtype='float32', shards=1)\n"
        "seen, original = [], spectra.singular_values\n"
        "def spy(*args, **kwargs):\n"
        "    seen.append(blas_threads())\n"
        "    return original(*args, **kwargs)\n"
        "spectra.singular_values = spy\n"
        "for job in plan_checkpoint(sys.argv[1]).jobs:\n"
        "    engine.compute_job(job)\n"
        "print(seen, blas_threads())\n"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    }
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    run = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    seen, outside = run.stdout.rsplit("]", 1)
    seen = [int(x) for x in seen.strip("[ ").split(",") if x.strip()]
    assert len(seen) == 2 and set(seen) == {1}
    if len(os.sched_getaffinity(0)) > 1:  # else one thread is all BLAS would use anyway, and the check says nothing
        assert int(outside) > 1, "BLAS runs one thread even outside: the check above could not fail here"
