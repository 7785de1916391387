r"""Run :class:`~schattheory.networks.checkpoint.TensorJob` objects serially, over a process pool, or on Dask.

A job names a file and a tensor, never carries weights: each worker reads its own tensor (streaming it from the
shard), decomposes it and returns only the singular values and ||A^T||_{2,1}, so memory stays within about
``jobs`` times the largest tensor (stored plus decoded float32 copy) plus a constant.

Identical results everywhere: every decomposition runs with one BLAS thread (threadpoolctl where installed, and the
``*_NUM_THREADS`` variables in the workers' environment), because the rounding of LAPACK's SVD depends on the number
of BLAS threads (measured: 1.3e-6 relative on a 1024 x 4096 float32 matrix between one and two OpenBLAS threads).
The same job then gives the same bits in the main process, in a pool worker and on a Dask worker.

With a :class:`~schattheory.networks.spectra_cache.SpectraCache`, each worker looks its tensor's parts up by content
hash before decomposing and stores each result as soon as it has it.

>>> import numpy as np
>>> from schattheory.networks.checkpoint import plan_checkpoint
>>> plan = plan_checkpoint({"w": np.diag([3.0, 4.0]).astype(np.float32)})
>>> [r["parts"][0]["sigma"].tolist() for r in run_jobs(plan.jobs, reader=plan.source)]
[[4.0, 3.0]]
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from dataclasses import dataclass

import numpy as np

from schattheory.foundation.errors import InputError
from schattheory.networks.spectra_cache import SpectraCache, content_hash

__all__ = ["Settings", "compute_job", "run_jobs", "available_cores", "parse_scheduler"]

HASHED_ROLES = ("embedding", "lm_head")
_THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS/Windows
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs besides the job: what changes the numbers is part of every cache key."""

    method: str = "svd"
    dtype: str | None = None  # compute dtype; None: as stored (fp16/bf16/fp8 in float32)
    device: str = "cpu"
    cache_dir: str | None = None
    top_k: int | None = None  # method "randomized": the subspace dimension (certified intervals)

    def numbers_key(self, compute: str, transpose: bool) -> tuple:
        method = self.method if self.top_k is None else f"{self.method}:k={self.top_k}"
        return (method, compute, "in_out" if transpose else "out_in", self.device)


@contextlib.contextmanager
def one_blas_thread():
    """One BLAS thread in every BLAS library loaded; SciPy's LAPACK is loaded first, or its library would escape."""
    import scipy.linalg  # noqa: F401

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(1):
        yield


@functools.lru_cache(maxsize=4)
def _open(path):
    from schattheory.networks.formats import open_source

    return open_source(path)


def _svals(mat, settings: Settings, compute):
    if settings.device == "cpu":
        from schattheory.networks.spectra import singular_values

        return singular_values(mat, settings.method, compute)
    from schattheory.networks.gpu import svdvals_device

    return svdvals_device(mat, settings.device, compute)


def compute_job(job, settings: Settings = Settings(), reader=None) -> dict:
    """Read, check, orient and decompose one tensor (each part of a fused one); consult and fill the cache."""
    from schattheory.networks.loaders import _coarsest, _to_weight

    t0 = time.perf_counter()
    with one_blas_thread():
        arr = (reader if reader is not None else _open(job.file)).read(job.tensor)
        # the content hash keys the cache and names tied heads; hashing costs ~3% of an SVD, so only then
        digest = content_hash(np.asarray(arr)) if settings.cache_dir or job.role in HASHED_ROLES else None
        w = _to_weight(arr, job.tensor, job.dtype, "in_out" if job.transpose else "out_in", len(job.stored_shape))
        del arr
        if w.ndim == 4:
            w = w.reshape(w.shape[0], -1)
        specs, has_bias, fold_key = job.parts, False, ()
        if job.fold is not None:
            w, has_bias, fold_key = _folded(job, w, reader, bool(settings.cache_dir))
            specs = ((job.parts[0][0], 0, w.shape[0]),)
        compute = np.dtype(settings.dtype) if settings.dtype else w.dtype
        cache = SpectraCache(settings.cache_dir) if settings.cache_dir else None
        parts = []
        for name, lo, hi in specs:
            key = (
                cache.key(
                    job.file, job.tensor, digest, name, settings.numbers_key(str(compute), job.transpose) + fold_key
                )
                if cache
                else None
            )
            parts.append(_part(w[lo:hi], name, settings, compute, cache, key))
    return {
        "index": job.index,
        "parts": parts,
        "digest": digest,
        "compute_dtype": str(compute),
        "stored_dtype": _coarsest((job.dtype,) + tuple(job.extra_dtypes)),
        "has_bias": has_bias,
        "bytes": job.nbytes,
        "seconds": time.perf_counter() - t0,
        "pid": os.getpid(),
    }


def _part(block, name, settings, compute, cache, key) -> dict:
    """One part's singular values and ||A^T||_{2,1}, from the cache when it holds them."""
    from schattheory.networks.spectra import _norm21

    out = {"name": name, "shape": [int(x) for x in block.shape]}
    hit = cache.get(key) if cache else None
    if hit is not None:
        if "certified" in hit:
            from schattheory.networks.certified import CertifiedSpectrum

            out["certified"] = CertifiedSpectrum.unpack(hit["sigma"], hit["certified"])
        return dict(out, sigma=hit["sigma"], norm21=float(hit["norm21"]), computed=False)
    extra = {}
    if settings.method == "randomized":  # certified intervals; sigma holds the lower bounds of sigma_1..sigma_k
        from schattheory.networks.certified import certified_top_k

        cert = certified_top_k(block, k=min(settings.top_k, *block.shape), seed=0)
        sigma, out["certified"], extra = cert.lower_top, cert, {"certified": cert.pack()}
    else:
        sigma = np.asarray(_svals(block, settings, compute), dtype=np.float64)
    norm21 = _norm21(block)
    if cache:
        cache.put(key, {"sigma": sigma, "norm21": np.float64(norm21), **extra})
    return dict(out, sigma=sigma, norm21=norm21, computed=True)


def _folded(job, w, reader, hashed: bool):
    """(operator, has_bias, cache-key suffix): the job's BatchNorm and bias folded into its weight, with the
    functions of the in-order path (:func:`~schattheory.networks.loaders.with_extras`, then
    :func:`~schattheory.networks.homogeneous.fold_dense`); the extra tensors are read from whichever shard holds
    them."""
    from schattheory.networks.homogeneous import fold_dense
    from schattheory.networks.loaders import with_extras

    files = dict(job.extra_files)

    def read(name):
        return (reader if files.get(name) is None else _open(files[name])).read(name)

    w, bias = with_extras(read, w, job.bias, job.batchnorm)
    fold = job.fold
    op = fold_dense(
        w,
        bias,
        takes_one=fold.takes_one,
        gives_one=fold.takes_one and fold.gives_one,
        q=fold.q if fold.takes_one else 1,
    )
    key = ()
    if hashed:  # what the operator is made of besides the weight: the extra tensors and the fold
        key = (
            "fold",
            job.bias,
            job.batchnorm,
            fold.takes_one,
            fold.gives_one,
            fold.q,
            *(content_hash(np.asarray(read(name))) for name, _ in job.extra_files),
        )
    return op, bias is not None and fold.takes_one, key


def parse_scheduler(text):
    """``local`` / ``local:N`` (a Dask LocalCluster of N worker processes) or a scheduler address."""
    if text is None:
        return None
    text = str(text).strip()
    if text == "local" or text.startswith("local:"):
        n = text.partition(":")[2] or str(available_cores())
        if not n.isdigit() or int(n) < 1:
            raise InputError("scheduler", text, "local:N needs a worker count N >= 1")
        return ("local", int(n))
    if not text:
        raise InputError("scheduler", text, "give a scheduler address (tcp://host:8786) or local:N")
    return ("address", text)


def run_jobs(
    jobs, *, settings: Settings = Settings(), n_jobs: int = 1, scheduler=None, reader=None, progress=None
) -> list:
    """Results of :func:`compute_job` for every job, in job order; ``progress(result)`` after each one."""
    jobs = list(jobs)
    if not isinstance(n_jobs, int) or n_jobs < 1:
        raise InputError("jobs", n_jobs, "must be an integer >= 1")
    if settings.cache_dir:
        SpectraCache(settings.cache_dir)  # refuse an unusable cache folder before any work
    if scheduler is not None:
        spec = parse_scheduler(scheduler) if isinstance(scheduler, str) else scheduler
        if any(j.file is None for j in jobs):
            raise InputError("scheduler", scheduler, "needs weights read from files (in-memory arrays stay local)")
        results = _run_dask(jobs, settings, spec, progress)
    elif n_jobs > 1 and len(jobs) > 1 and all(j.file is not None for j in jobs):
        results = _run_pool(jobs, settings, n_jobs, progress)
    else:
        results = []
        for job in jobs:
            res = compute_job(job, settings, reader if job.file is None else None)
            results.append(res)
            if progress is not None:
                progress(res)
    by_index = {r["index"]: r for r in results}
    return [by_index[j.index] for j in jobs]


def _largest_first(jobs):
    return sorted(jobs, key=lambda j: -j.nbytes)


def _init_worker():
    global _LIMITS
    import scipy.linalg  # noqa: F401  (load its BLAS before limiting)

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    _LIMITS = threadpool_limits(1)  # kept alive for the worker's lifetime


@contextlib.contextmanager
def _single_thread_env():
    """Workers inherit the environment when they start: one BLAS thread each, set before NumPy loads there."""
    saved = {k: os.environ.get(k) for k in _THREAD_VARS}
    os.environ.update({k: "1" for k in _THREAD_VARS})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _run_pool(jobs, settings, n_jobs, progress):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results = []
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that holds BLAS threads
    with _single_thread_env():
        pool = ProcessPoolExecutor(max_workers=min(n_jobs, len(jobs)), mp_context=ctx, initializer=_init_worker)
        futures = [pool.submit(compute_job, job, settings) for job in _largest_first(jobs)]
    try:
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            if progress is not None:
                progress(res)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def _run_dask(jobs, settings, spec, progress):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise InputError("scheduler", spec[1], "needs Dask distributed (pip install 'schattheory[dask]')") from None
    cluster = None
    with contextlib.ExitStack() as stack:
        if spec[0] == "local":
            with _single_thread_env():
                cluster = stack.enter_context(
                    LocalCluster(n_workers=spec[1], threads_per_worker=1, processes=True, dashboard_address=None)
                )
            client = stack.enter_context(Client(cluster))
        else:
            try:
                client = stack.enter_context(Client(spec[1], timeout=30))
            except (OSError, TimeoutError) as exc:
                raise InputError("scheduler", spec[1], f"cannot be reached ({exc})") from None
        return dask_map(client, jobs, settings, progress)


def dask_map(client, jobs, settings: Settings, progress=None) -> list:
    """Run the jobs on a Dask client (each task reads its own tensor where it runs); a task lost with a worker is
    rescheduled by Dask's scheduler, and the result does not depend on where it ran."""
    from distributed import as_completed

    ordered = _largest_first(jobs)
    futures = client.map(
        compute_job,
        ordered,
        settings=settings,
        pure=False,
        retries=2,
        key=[f"schattheory-spectra-{j.index}-{os.getpid()}-{time.time_ns()}" for j in ordered],
    )
    results = []
    for fut in as_completed(futures):
        res = fut.result()
        results.append(res)
        if progress is not None:
            progress(res)
    return results
