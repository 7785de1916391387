"""p-sweep of the main bound over 10^5 values of p with the NumPy evaluator (target: < 0.1 s).

Three timings, best of 5, in one process:
  evaluator   ledent2025.fc.dominant (lambdified from Bound.expr) at 10^5 values of p (same p in every layer) with the
              rank proxies r_l(p) precomputed;
  with rho    the same including the rank proxies r_l(p) = sum_i (sigma_i/sigma_1)^p of three 64-value synthetic
              spectra sigma_i = i^(-alpha);
  network     schattheory.bounds.network.ledent_layer_terms_log10 on a 3-layer network (log space);
and a baseline: numpy.exp of a 10^5-vector (to compare machines).

Run: python3 benchmarks/bench_psweep.py
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    from schattheory.bounds.network import ledent_layer_terms_log10, rank_proxy_grid
    from schattheory.core import registry
    from schattheory.foundation.netstats import DataStats, LayerStats, NetworkStats

    b = registry.get("ledent2025.fc.dominant")
    f = b.numeric("numpy")
    ps = np.linspace(1e-3, 20, 10**5)
    sig = [np.arange(1, 65, dtype=float) ** -a for a in (0.5, 1.0, 2.0)]

    def rho(l):
        return rank_proxy_grid(sig[l], ps)

    rhos = [rho(l) for l in range(3)]
    fixed = {
        "B": 10.0,
        "N": 10000.0,
        "gamma": 0.5,
        "s_1": 1.0,
        "s_2": 1.0,
        "s_3": 1.0,
        "w_0": 64.0,
        "w_1": 64.0,
        "w_2": 64.0,
        "w_3": 64.0,
    }

    def args(rh):
        out = []
        for s_ in b.params:
            n = s_.name
            out.append(ps if n.startswith("p_") else rh[int(n[-1]) - 1] if n.startswith("rho_") else fixed[n])
        return out

    a0 = args(rhos)
    t_eval = best(lambda: f(*a0))
    t_rho = best(lambda: f(*args([rho(l) for l in range(3)])))
    lays = [LayerStats(f"l{l}", (64, 64), sig[l], norm21=10.0) for l in range(3)]
    net = NetworkStats(lays, DataStats(n=10000, input_norm=10.0, data_frobenius=1000.0, margin=0.5))
    ledent_layer_terms_log10(net, ps[:10])  # lambdify once
    t_net = best(lambda: ledent_layer_terms_log10(net, ps))
    t_base = best(lambda: np.exp(ps))
    print(f"p values: {ps.size}")
    print(f"evaluator (rank proxies given): {t_eval * 1e3:8.2f} ms   ratio to baseline {t_eval / t_base:7.1f}")
    print(f"with rank proxies (3 x 64 sv):  {t_rho * 1e3:8.2f} ms   ratio to baseline {t_rho / t_base:7.1f}")
    print(f"network log-space (3 layers):   {t_net * 1e3:8.2f} ms   ratio to baseline {t_net / t_base:7.1f}")
    print(f"baseline numpy.exp(1e5):        {t_base * 1e3:8.2f} ms")
    print("target: < 100 ms:", "met" if max(t_eval, t_rho, t_net) < 0.1 else "NOT met")


if __name__ == "__main__":
    main()
