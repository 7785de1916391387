"""PNG figures for the report (matplotlib is optional: without it the report says so and has no figures).

Each function takes the evaluated network (:class:`~schattheory.outputs.report.network.NetworkResult`) and a directory,
writes one PNG and returns ``(file name, caption)``. matplotlib is imported only here, with the Agg backend, so
importing schattheory never imports it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["matplotlib_available", "make_figures"]


def matplotlib_available():
    """(True, "") or (False, the reason) without importing pyplot."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        return False, f"matplotlib is not installed ({exc}); install schattheory[plot] for figures"
    return True, ""


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def spectra(result, outdir):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4), dpi=110)
    for name, sig in result.spectra:
        sig = np.asarray(sig, dtype=float)
        ax.semilogy(np.arange(1, len(sig) + 1), sig / sig[0], marker=".", ms=3, lw=1, label=name)
    for tau in (1e-2, 1e-3):
        ax.axhline(tau, color="grey", lw=0.6, ls=":")
    ax.set_xlabel("index i")
    ax.set_ylabel("sigma_i / sigma_1")
    ax.set_title("Normalised singular values per layer")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(outdir / "spectra.png")
    plt.close(fig)
    return "spectra.png", (
        "Singular values of each layer divided by its largest (log scale); dotted lines at "
        "1e-2 and 1e-3, the thresholds of the relative ranks in the layer table."
    )


def rank_proxies(result, outdir):
    from schattheory.numerics import stable

    plt = _pyplot()
    ps = np.logspace(-2, 1, 121)
    fig, ax = plt.subplots(figsize=(6, 4), dpi=110)
    for name, sig in result.spectra:
        ax.semilogx(ps, [stable.rank_proxy(sig, p) for p in ps], lw=1.2, label=name)
    ax.set_xlabel("p")
    ax.set_ylabel("r(p) = sum_i (sigma_i / sigma_1)^p")
    ax.set_title("Rank proxy against p (rank as p -> 0, 1 as p -> oo)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(outdir / "rank_proxy.png")
    plt.close(fig)
    return (
        "rank_proxy.png",
        "Rank proxy r(p) of each layer against p: the numerical rank at p -> 0+, the "
        "multiplicity of sigma_1 as p -> oo.",
    )


def bounds(result, outdir):
    best = result.best()
    if not best:
        return None
    plt = _pyplot()
    labels = [f"{b['key']} ({b['mode']})" for b in best]
    vals = [b["log10_value"] for b in best]
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(best) + 1.2), dpi=110)
    ax.barh(range(len(best)), vals, color=["tab:green" if v < 0 else "tab:red" for v in vals])
    ax.set_yticks(range(len(best)))
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("log10 of the bound (0 = value 1: right of it the bound is vacuous)")
    ax.set_title("Every bound on this network (best p where the bound has one)")
    fig.tight_layout()
    fig.savefig(outdir / "bounds.png")
    plt.close(fig)
    return "bounds.png", "log10 of every bound evaluated on the network, tightest first (green: below 1)."


def main_bound_curve(result, outdir):
    curves = result.curves or {}
    main = curves.get("main_vs_p")
    if not main:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    colors = {"dominant": "tab:blue", "explicit": "tab:red"}
    for label, (ps, vals) in main.items():
        mode = "explicit" if "explicit" in label else "dominant"
        ax.semilogx(ps, vals, lw=2, color=colors[mode], label=f"main bound, {mode}")
    styles = iter(["--", ":", "-.", (0, (5, 1)), (0, (1, 1)), (0, (3, 1, 1, 1))] * 4)
    for key, val in sorted((curves.get("baselines") or {}).items(), key=lambda kv: kv[1]):
        mode = "explicit" if key.endswith("explicit") else "dominant"
        ax.axhline(val, color=colors[mode], lw=0.9, ls=next(styles), alpha=0.7, label=key)
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xlabel("p (the same for every layer)")
    ax.set_ylabel("log10 of the bound")
    ax.set_title("Main bound against p; baselines as horizontal lines")
    ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    fig.savefig(outdir / "main_bound_vs_p.png")
    plt.close(fig)
    return "main_bound_vs_p.png", (
        "log10 of the main bound (Ledent, Alves, Lei; fully-connected form, W_l = 1) "
        "with every layer at the same p, dominant (blue) and explicit (red), against "
        "the baselines of the same colour (flat in p). Below 0 a bound is non-vacuous."
    )


def make_figures(result, outdir):
    """Every figure that applies; returns [(file, caption)]."""
    out = []
    for fn in (spectra, rank_proxies, main_bound_curve, bounds):
        item = fn(result, outdir)
        if item:
            out.append(item)
    return out
