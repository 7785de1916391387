"""Spectra on a Dask cluster: a 2-worker LocalCluster (processes) gives the serial result, also when a worker is killed
mid-run (Dask's scheduler reschedules the lost tasks; each task reads its own tensor, so a retry is a clean rerun)."""

from __future__ import annotations

import math
import os
import signal

import numpy as np
import pytest

distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed (extra 'dask')")
pytest.importorskip("ml_dtypes", reason="bf16 decoding needs ml_dtypes (extra 'checkpoints')")

from schattheory.networks.checkpoint import plan_checkpoint  # noqa: E402
from schattheory.networks.checkpoint_eval import evaluate_checkpoint  # noqa: E402
from schattheory.networks.engine import Settings, dask_map, run_jobs  # noqa: E402
from schattheory.networks.synthetic_checkpoint import transformer_tensors, write_checkpoint  # noqa: E402


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ckpt")
    tensors = transformer_tensors("gpt2", layers=2, d=24, ff=96, vocab=64, seed=11)
    tensors.update(transformer_tensors("llama", layers=2, d=24, ff=64, vocab=64, seed=12))
    write_checkpoint(folder, tensors, dtype="bfloat16", shards=3)
    return folder


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        with distributed.Client(c) as client:
            yield c, client


def _same(a, b):
    if isinstance(a, dict):
        assert set(a) == set(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=0)
    else:
        assert a == b


def test_local_cluster_equals_serial(checkpoint, cluster):
    c, _ = cluster
    serial = evaluate_checkpoint(checkpoint, n_jobs=1).to_dict()
    on_dask = evaluate_checkpoint(checkpoint, scheduler=c.scheduler_address).to_dict()  # JSON equal to 1e-12
    _same(serial, on_dask)


def test_scheduler_spec_is_checked():
    from schattheory.foundation.errors import InputError
    from schattheory.networks.engine import parse_scheduler

    assert parse_scheduler("local:2") == ("local", 2) and parse_scheduler("tcp://h:8786") == ("address", "tcp://h:8786")
    with pytest.raises(InputError, match="^scheduler='local:0'"):
        parse_scheduler("local:0")


def test_worker_killed_mid_run_result_unchanged(checkpoint, cluster):
    _, client = cluster
    plan = plan_checkpoint(checkpoint)
    serial = run_jobs(plan.jobs, n_jobs=1)
    pids = client.run(os.getpid)  # worker address -> pid
    seen = []

    def kill_one_after_first(result):
        seen.append(result)
        if len(seen) == 1:
            os.kill(next(iter(pids.values())), signal.SIGKILL)

    results = dask_map(client, plan.jobs, Settings(), kill_one_after_first)
    assert len(seen) == len(plan.jobs)
    by_index = {r["index"]: r for r in results}
    for ref in serial:
        got = by_index[ref["index"]]
        for a, b in zip(ref["parts"], got["parts"]):
            assert a["name"] == b["name"] and np.array_equal(a["sigma"], b["sigma"]) and a["norm21"] == b["norm21"]
    assert set(client.run(os.getpid).values()) != set(pids.values())  # the nanny replaced the killed worker


def test_local_cluster_folds_biases_and_batchnorm_as_the_in_order_path(tmp_path, cluster):
    """A feed-forward checkpoint with biases and BatchNorm: Dask workers fold each layer; same JSON as ``evaluate``."""
    from schattheory.networks.evaluate import evaluate

    rng = np.random.default_rng(3)
    t = {
        "net.0.weight": rng.standard_normal((8, 6)),
        "net.0.bias": rng.standard_normal(8),
        "net.1.weight": rng.uniform(0.5, 2, 8),
        "net.1.bias": rng.standard_normal(8),
        "net.1.running_mean": rng.standard_normal(8),
        "net.1.running_var": rng.uniform(0.2, 3, 8),
        "net.3.weight": rng.standard_normal((3, 8)),
        "net.3.bias": rng.standard_normal(3),
    }
    t = {k: v.astype(np.float32) for k, v in t.items()}
    np.savez(tmp_path / "m.npz", **t)
    write_checkpoint(tmp_path / "ckpt", t, dtype="float32", shards=2)
    data = {"n": 500, "input_norm": 1.5, "margin": 0.25, "families": ["ledent2025", "bartlett2017"]}
    ref = evaluate(tmp_path / "m.npz", **data).to_dict()
    c, _ = cluster
    on_dask = evaluate_checkpoint(tmp_path / "ckpt", scheduler=c.scheduler_address, **data).to_dict()
    assert ref["bounds"] and on_dask["layers"][0]["operator_shape"] == [9, 7]
    ref.pop("source"), on_dask.pop("source")
    _same(ref, on_dask)
