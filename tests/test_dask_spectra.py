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
    on_dask = evaluate_checkpoint(checkpoint, scheduler=c.scheduler_address).to_dict()   # JSON equal to 1e-12
    _same(serial, on_dask)


def test_scheduler_spec_is_checked():
    from schattheory.errors import InputError
    from schattheory.networks.engine import parse_scheduler

    assert parse_scheduler("local:2") == ("local", 2) and parse_scheduler("tcp://h:8786") == ("address", "tcp://h:8786")
    with pytest.raises(InputError, match="^scheduler='local:0'"):
        parse_scheduler("local:0")


def test_worker_killed_mid_run_result_unchanged(checkpoint, cluster):
    _, client = cluster
    plan = plan_checkpoint(checkpoint)
    serial = run_jobs(plan.jobs, n_jobs=1)
    pids = client.run(os.getpid)          # worker address -> pid
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
    assert set(client.run(os.getpid).values()) != set(pids.values())   # the nanny replaced the killed worker
