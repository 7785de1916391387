r"""Evaluate a checkpoint at scale: every layer's spectrum (in parallel, cached, resumable), then the bounds that apply.

:func:`evaluate_checkpoint` plans the tensors by name (:mod:`schattheory.networks.layouts`), decomposes them through
:mod:`schattheory.networks.engine` (serially, over ``n_jobs`` processes, or on a Dask scheduler), and returns the same
:class:`~schattheory.networks.evaluate.Evaluation` as :func:`~schattheory.networks.evaluate.evaluate`. Where the
network bound families do not cover the architecture (attention, residual streams, normalisation), every layer's
spectra and rank measures are still reported and each family is listed as skipped with the reason, role by role.
The result does not depend on how it was computed: serial, pool, Dask and a resumed run give the same numbers.

A feed-forward chain of dense layers is evaluated as the network applies it, like the in-order path
(:func:`~schattheory.networks.evaluate.evaluate`): biases and eval-mode BatchNorm are paired with their layers by the
in-order path's rules, and each worker folds its layer (BatchNorm, then the bias by homogeneous coordinates,
:mod:`schattheory.networks.homogeneous`) before decomposing it, so memory per worker stays about one layer. 1-D tensors
that no fold accounts for (LayerNorm-like scales, tensors of unknown role) leave the bounds declined with the reason.

>>> import numpy as np
>>> w = np.arange(1.0, 49.0, dtype=np.float32).reshape(4, 12) % 7    # GPT-2 Conv1D layout (in, out)
>>> ev = evaluate_checkpoint({"h.0.attn.c_attn.weight": w}, ps=(1,), n_jobs=1)
>>> [r["name"] for r in ev.to_dict()["layers"]]
['h.0.attn.c_attn.weight[q]', 'h.0.attn.c_attn.weight[k]', 'h.0.attn.c_attn.weight[v]']
>>> ev.skipped[0]["reason"]
'not a feed-forward chain of dense layers: attention.qkv layers (see the notes for what each role means for the bounds)'
>>> ev.notes[0]
'attention.qkv (3 layers): fused query/key/value projection, split into its equal blocks q, k and v ...'

"""

from __future__ import annotations

from schattheory.foundation.errors import InputError
from schattheory.foundation.netstats import LayerStats
from schattheory.networks.checkpoint import plan_checkpoint
from schattheory.networks.data import given_data_stats
from schattheory.networks.engine import Settings, available_cores, run_jobs
from schattheory.networks.evaluate import (
    DEFAULT_PS,
    MODES,
    Evaluation,
    _evaluate_bounds,
    check_families,
    check_p_arguments,
    finish_evaluation,
    folded_stats,
    label_bounds,
    spectra_label,
)
from schattheory.networks.layouts import roles
from schattheory.networks.loaders import LayerPlan, _check_chain
from schattheory.networks.spectra import EVALUATE_METHODS, NetworkSpectra, check_method_top_k

__all__ = ["evaluate_checkpoint", "checkpoint_spectra", "bounds_refusal", "SMALL_BYTES"]

#: below this many stored bytes the default is one process (starting a worker costs about a second of imports)
SMALL_BYTES = 64 * 2**20


def checkpoint_spectra(
    plan,
    *,
    method: str = "svd",
    dtype=None,
    n_jobs: int = 1,
    scheduler=None,
    cache=None,
    device: str = "cpu",
    progress=None,
    jobs=None,
    homogeneous=None,
    top_k=None,
) -> NetworkSpectra:
    """Decompose every job of ``plan`` (or ``jobs``: the plan's jobs with their biases and BatchNorms to fold, and
    ``homogeneous`` the fold they follow); ``info[i]["computed"]`` says whether layer i was computed or cached."""
    if method not in EVALUATE_METHODS:
        raise InputError("method", method, f"must be one of {EVALUATE_METHODS}")
    if dtype is not None and str(dtype) not in ("float32", "float64"):
        raise InputError("dtype", dtype, "must be float32 or float64")
    jobs = plan.jobs if jobs is None else jobs
    top_k = check_method_top_k(method, top_k, [(hi - lo, job.shape[1]) for job in jobs for _, lo, hi in job.parts])
    if top_k is not None and device != "cpu":
        raise InputError("device", device, "--method randomized runs on the CPU (certified rounding bounds)")
    if device != "cpu":
        from schattheory.networks.gpu import check_device

        check_device(device)
    settings = Settings(
        method=method,
        dtype=str(dtype) if dtype else None,
        device=device,
        cache_dir=str(cache) if cache else None,
        top_k=top_k,
    )
    results = run_jobs(
        jobs, settings=settings, n_jobs=n_jobs, scheduler=scheduler, reader=plan.source, progress=progress
    )
    layers, info, biases = [], [], {}
    for job, res in zip(jobs, results):
        for (name, lo, hi), part in zip(job.parts, res["parts"]):
            stored = res["stored_dtype"]
            # the noise floor from the stored precision, as on the in-order path (LayerStats.noise_floor)
            layers.append(
                LayerStats(
                    name,
                    tuple(part["shape"]),
                    part["sigma"],
                    part["norm21"],
                    1,
                    dtype=res["compute_dtype"],
                    stored_dtype=stored,
                )
            )
            meta = {
                "kind": "dense",
                "stored_dtype": stored,
                "compute_dtype": res["compute_dtype"],
                "stored_shape": [hi - lo, job.shape[1]],
                "method": method if device == "cpu" else f"{method}@{device}",
                "role": job.role,
                "pattern": job.pattern,
                "tensor": job.tensor,
                "file": job.file,
                "computed": part["computed"],
            }
            if part.get("certified") is not None:
                k = part["certified"].k
                meta.update(
                    method="randomized",
                    exact=False,
                    certified=part["certified"],
                    spectrum=f"certified intervals (randomized top-k, k = {k} of {min(part['shape'])})",
                )
            if job.fold is not None:
                meta["batchnorm"] = job.batchnorm[0].rsplit(".", 1)[0] if job.batchnorm else None
                if job.fold.takes_one:
                    meta["folded"] = job.fold.label()
            if res.get("has_bias"):
                biases[name] = job.bias
            info.append(meta)
    ignored = [(e["name"], e["reason"]) for e in plan.entries if e["action"] == "skip"]
    notes = list(plan.notes)
    digests = {}
    for job, res in zip(jobs, results):
        digests.setdefault(job.role, {})[job.tensor] = res["digest"]
    for head, digest in digests.get("lm_head", {}).items():
        tied = [name for name, d in digests.get("embedding", {}).items() if d == digest]
        if tied:
            notes.append(f"{head} holds the same values as {tied[0]} (tied head): one matrix, reported twice")
    return NetworkSpectra(
        layers,
        info,
        source=plan.source.label,
        method=method,
        ignored=ignored,
        notes=notes,
        biases=biases,
        homogeneous=homogeneous,
        extras={"homogeneous": homogeneous} if homogeneous is not None else None,
        accounted=plan.accounted if homogeneous is not None else (),
    )


def evaluate_checkpoint(
    model,
    *,
    layers=None,
    orientation: str = "out_in",
    method: str = "svd",
    dtype=None,
    n_jobs: int | None = None,
    scheduler=None,
    cache=None,
    device: str = "cpu",
    progress=None,
    n=None,
    input_norm=None,
    margin=None,
    data_frobenius=None,
    ps=DEFAULT_PS,
    grid=None,
    delta: float = 0.01,
    families=None,
    plan=None,
    biases: bool = True,
    top_k=None,
) -> Evaluation:
    """Spectra of every selected layer of a checkpoint and the bounds that apply to its architecture.

    ``n_jobs``: worker processes (default: the cores available); ``scheduler``: ``local:N`` or a Dask scheduler
    address; ``cache``: a folder of per-tensor spectra (a run resumes from it); ``progress``: a callable given each
    job's result (see :class:`~schattheory.networks.progress.SpectraProgress`). A feed-forward chain of dense layers
    is evaluated as the network applies it, exactly as :func:`~schattheory.networks.evaluate.evaluate` does: each
    worker folds its layer's BatchNorm and bias (homogeneous coordinates) into the matrix it decomposes;
    ``biases=False``: the bias-free network.
    """
    ps, grid = check_p_arguments(ps, grid, delta)
    families = check_families(families)
    if any(v is not None for v in (n, input_norm, margin)):
        given_data_stats(n, input_norm, margin, data_frobenius)  # refuse bad statistics before any heavy work
    plan = plan or plan_checkpoint(model, layers, orientation=orientation)
    if n_jobs is None:  # the cores available, unless the whole read is too small to repay starting workers
        n_jobs = available_cores() if sum(j.nbytes for j in plan.jobs) >= SMALL_BYTES else 1
    why = bounds_refusal(plan)
    jobs, hom = plan.folded(biases) if why is None else (None, None)
    spectra = checkpoint_spectra(
        plan,
        method=method,
        dtype=dtype,
        n_jobs=n_jobs,
        scheduler=scheduler,
        cache=cache,
        device=device,
        progress=progress,
        jobs=jobs,
        homogeneous=hom,
        top_k=top_k,
    )
    if spectra.certified:
        spectra.extras["top_k"] = top_k
    summary = None
    if any(v is not None for v in (n, input_norm, margin)):
        k = plan.jobs[-1].shape[0]  # the classes: the last layer's outputs as stored (the fold adds no output)
        summary = given_data_stats(n, input_norm, margin, data_frobenius, k if k > 1 else 2)
    stats = folded_stats(spectra, summary)
    if why is None:
        bounds, skipped, notes = _evaluate_bounds(stats, ps, grid, delta, families)
        label_bounds(bounds, spectra)
    else:
        bounds, skipped, notes = [], _skip_all(why, families), plan.uncovered_reasons()
    notes = ([spectra_label(spectra)] if hom is not None else []) + list(spectra.notes) + notes
    return finish_evaluation(spectra, stats, summary, bounds, skipped, ps, grid, notes, delta, method, top_k)


def bounds_refusal(plan) -> str | None:
    """Why the network bound families do not apply to the planned layers (None when they do)."""
    if not plan.covered:
        table = roles()
        missing = [r for r in plan.roles_present if not table[r]["covered"]]
        return (
            f"not a feed-forward chain of dense layers: {', '.join(missing)} layers (see the notes for what each "
            "role means for the bounds)"
        )
    convs = [job.tensor for job in plan.jobs if len(job.stored_shape) == 4]
    if convs:
        return (
            f"convolutional layers ({', '.join(convs[:3])}{', ...' if len(convs) > 3 else ''}): this path reads "
            "a kernel as its filter matrix (c_out, c_in kh kw), not as the convolution operator the bounds are "
            "for; evaluate the file on the in-order path (schattheory evaluate FILE --input-size HxW, without "
            "--jobs/--scheduler/--cache/--device)"
        )
    if plan.fold_error is not None:
        return (
            f"the biases/BatchNorm cannot be folded into the layers ({plan.fold_error}); the bounds of the "
            "weights alone would be for a different network"
        )
    extra = [
        e
        for e in plan.entries
        if e["action"] == "skip" and len(e["shape"]) == 1 and e["reason"] != "not selected by --layers"
    ]
    if extra:
        names = [e["name"] for e in extra]
        listed = f"{', '.join(names[:3])}{', ...' if len(names) > 3 else ''}"
        if any(e["role"] == "norm" or e["name"].rpartition(".")[2] in ("weight", "scale", "gamma") for e in extra):
            what = (
                "1-D scales without running statistics (LayerNorm/GroupNorm affine parameters or similar), which "
                "cannot be folded into a linear layer"
            )
        else:
            what = "1-D tensors that are neither a layer's bias nor a BatchNorm following a layer"
        return (
            f"the layers come with {what} ({listed}); the bounds of a chain of linear layers without them would "
            "be for a different network (leave them out knowingly with --layers)"
        )
    layer_plans = [
        LayerPlan(name, (hi - lo, job.shape[1]), job.dtype, "dense")
        for job in plan.jobs
        for (name, lo, hi) in job.parts
    ]
    try:
        _check_chain(layer_plans)
    except InputError as exc:
        return (
            f"the selected dense layers do not form a chain ({exc}); the network bound families need "
            "out of layer l = in of layer l+1"
        )
    return None


def _skip_all(reason, families) -> list:
    from schattheory.core.registry import (
        network_families,  # from the manifest: no bound family is imported to skip them all
    )

    names = network_families()
    if families is not None:
        names = [f for f in names if f in families]
    return [{"family": f, "mode": m, "p": None, "reason": reason} for f in names for m in MODES]
