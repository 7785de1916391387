"""Test configuration: hypothesis profiles (``ci`` is derandomized) and a fixed constant pool.

Hypothesis draws some examples from a pool of literals it reads from every local module loaded so far, so the
examples a derandomized test sees would depend on which modules other tests happened to import first (a test could
pass in the whole suite and fail alone, or the reverse). Importing every module of the package before any test runs
fixes that pool: a test draws the same examples alone, in the whole suite, or in any xdist worker.
"""
import importlib
import os
import pkgutil

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _import_whole_package():
    import schattheory

    for info in pkgutil.walk_packages(schattheory.__path__, "schattheory."):
        if not info.name.endswith("__main__"):       # __main__ runs the command line
            importlib.import_module(info.name)


_import_whole_package()
