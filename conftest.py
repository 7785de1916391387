"""Test configuration: hypothesis profiles (``ci`` is derandomized) and a fixed constant pool.

Hypothesis draws some examples from a pool of literals it reads from every local module loaded so far, so the
examples a derandomized test sees would depend on which modules other tests happened to import first (a test could
pass in the whole suite and fail alone, or the reverse). Importing every module of the package before any test runs
fixes that pool: a test draws the same examples alone, in the whole suite, or in any xdist worker.
"""

import importlib
import os
import pkgutil

import pytest

# One BLAS thread per test process (and, inherited, per subprocess a test starts): pytest-xdist already runs one
# worker per core, and OpenBLAS's own threads on top oversubscribe the cores and spin (a 1024 x 256 QR + SVD took
# 10x the wall time and 20x the CPU time with two threads on a busy 2-core machine). Set before NumPy is imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _import_whole_package():
    import schattheory

    for info in pkgutil.walk_packages(schattheory.__path__, "schattheory."):
        if not info.name.endswith("__main__"):  # __main__ runs the command line
            importlib.import_module(info.name)


_import_whole_package()


#: test modules whose module-scoped fixture is expensive (a full report through the CLI, a compiled document, a
#: fresh manifest build, a trained network, ...): under ``-n``, each runs whole on one worker, so the fixture is built
#: once rather than on every worker its tests happen to reach
ONE_WORKER = {
    f"tests/{name}.py"
    for name in (
        "test_report",
        "test_latex_compile",
        "test_registry_manifest",
        "test_claims",
        "test_asymptotics",
        "test_experiment",
        "test_bundled_network",
        "test_checkpoints",
        "test_dask_spectra",
        "test_networks_deep",
    )
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's ``load`` scheduling, except that the tests of a module in :data:`ONE_WORKER` form one unit (xdist's own
    ``loadgroup`` mark does not reach the scheduler with pytest 9, whose node ids it can no longer suffix)."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleUnits(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER else nodeid

    return ModuleUnits(config, log)
