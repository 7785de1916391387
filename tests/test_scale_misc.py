"""Progress lines, the GPU path (skips without CUDA) and the cache's atomic writes."""

from __future__ import annotations

import io
import os

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
