r"""Figures of an :class:`~schattheory.networks.evaluate.Evaluation` (matplotlib, imported only here).

Three figures, each as PNG and PDF:

* ``bound_vs_p``: the main bound (ledent2025, dominant) against a common p, for the network, and each layer's term
  log10 C_l(p) (needs data statistics and the bound module; otherwise not drawn, and the reason is returned);
* ``spectra``: singular values per layer against their normalised index i / k, log scale;
* ``rank_proxy``: sum_i (sigma_i/sigma_1)^p per layer against p (a heat map when there are more than 12 layers).

Everything is rendered into a hidden directory beside the destination, which becomes the destination only when
every file was written (:mod:`schattheory.foundation.output`): a failure leaves no partial file behind, and a non-empty
directory the toolkit did not make is refused (``force=True`` adds the figures to it, touching nothing else).
matplotlib's object API is used (``Figure`` + Agg canvas), never pyplot, so no global state or display backend is
touched.

>>> import numpy as np, tempfile, os
>>> from schattheory.networks.evaluate import evaluate
>>> ev = evaluate([np.diag([3.0, 1.0, 0.5]), np.eye(3)], ps=(1,))
>>> with tempfile.TemporaryDirectory() as d:
...     names = sorted(os.path.basename(f) for f in write_plots(ev, d))
>>> names
['rank_proxy.pdf', 'rank_proxy.png', 'spectra.pdf', 'spectra.png']
"""

from __future__ import annotations

import math
import os

import numpy as np

from schattheory.bounds import MAIN_FAMILY
from schattheory.foundation.errors import InputError

__all__ = ["write_plots", "SWEEP"]

#: p values of the sweeps (log-spaced 1/16 .. 4)
SWEEP = tuple(float(x) for x in np.geomspace(1 / 16, 4, 25))
_MANY = 12


def _figure(width=7.0, height=4.2):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _spectra_figure(ev):
    fig = _figure()
    ax = fig.add_subplot()
    layers = ev.spectra.layers
    cmap = _cmap(len(layers))
    for i, lay in enumerate(layers):
        sig = lay.sigma[lay.sigma > 0]
        x = (np.arange(sig.size) + 1) / sig.size
        ax.plot(x, sig, color=cmap(i), lw=1.2, label=lay.name if len(layers) <= _MANY else None)
    ax.set_yscale("log")
    ax.set_xlabel("normalised index i / k")
    ax.set_ylabel(r"singular value $\sigma_i$")
    ax.set_title("Singular values per layer")
    if len(layers) <= _MANY:
        ax.legend(fontsize=7)
    return fig


def _rank_proxy_figure(ev, sweep):
    fig = _figure()
    ax = fig.add_subplot()
    table = np.array([ev.spectra.rank_proxy(p) for p in sweep]).T  # (layers, ps)
    names = ev.spectra.names
    if len(names) <= _MANY:
        cmap = _cmap(len(names))
        for i, name in enumerate(names):
            ax.plot(sweep, table[i], color=cmap(i), marker=".", lw=1.2, label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("p")
        ax.set_ylabel(r"rank proxy $\sum_i (\sigma_i/\sigma_1)^p$")
        ax.legend(fontsize=7)
    else:
        im = ax.imshow(
            np.log10(table),
            aspect="auto",
            origin="lower",
            extent=(math.log10(sweep[0]), math.log10(sweep[-1]), -0.5, len(names) - 0.5),
        )
        ax.set_xlabel("log10 p")
        ax.set_ylabel("layer index")
        fig.colorbar(im, ax=ax, label="log10 rank proxy")
    ax.set_title("Rank proxy by layer and p")
    return fig


def _bound_figure(ev, sweep):
    from schattheory.bounds import network as api

    if ev.stats.data is None:
        return None, "bound_vs_p needs data statistics (--data or --n/--input-norm/--margin)"
    if MAIN_FAMILY not in api.network_families():
        return None, f"bound_vs_p: {MAIN_FAMILY} is not a registered family"
    net, terms, ps = [], [], []
    for p in sweep:
        try:
            v = api.evaluate_network(ev.stats, MAIN_FAMILY, "dominant", p, delta=ev.delta)
            t = np.asarray(api.ledent_layer_terms_log10(ev.stats, p), dtype=float)
        except (ValueError, NotImplementedError) as exc:
            return None, f"bound_vs_p: {exc}"
        ps.append(p)
        net.append(float(v.log10_value))
        terms.append(t)
    terms = np.array(terms).T
    fig = _figure(9.0, 4.2)
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(ps, net, color="k", marker=".", label=f"{MAIN_FAMILY} (same p in every layer)")
    opt = [
        b
        for b in ev.bounds
        if b["family"] == MAIN_FAMILY and b["mode"] == "dominant" and b.get("p_rule") == "optimised per layer"
    ]
    if opt:
        ax1.axhline(opt[0]["log10_value"], color="C3", ls="--", label="p optimised per layer")
    ax1.set_xscale("log")
    ax1.set_xlabel("p")
    ax1.set_ylabel("log10 bound (dominant)")
    ax1.set_title("Network")
    ax1.legend(fontsize=7)
    names = ev.spectra.names
    if len(names) <= _MANY:
        cmap = _cmap(len(names))
        for i, name in enumerate(names):
            ax2.plot(ps, terms[i], color=cmap(i), lw=1.2, label=name)
        ax2.set_xscale("log")
        ax2.set_xlabel("p")
        ax2.set_ylabel(r"log10 $\mathcal{C}_\ell(p)$")
        ax2.legend(fontsize=7)
    else:
        im = ax2.imshow(
            terms, aspect="auto", origin="lower", extent=(math.log10(ps[0]), math.log10(ps[-1]), -0.5, len(names) - 0.5)
        )
        ax2.set_xlabel("log10 p")
        ax2.set_ylabel("layer index")
        fig.colorbar(im, ax=ax2, label=r"log10 $\mathcal{C}_\ell(p)$")
    ax2.set_title("Per-layer terms")
    return fig, ""


def _cmap(count):
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    return lambda i: cmap(i / max(count - 1, 1))


def write_plots(ev, directory, formats=("png", "pdf"), sweep=None, *, force: bool = False) -> list:
    """Render the figures and write them into ``directory`` (created if missing); return the written paths."""
    from schattheory.foundation.output import check_output_dir, staged_output

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise InputError("--plot", directory, "needs matplotlib (pip install 'schattheory[plot]')") from None
    for fmt in formats:
        if fmt not in ("png", "pdf", "svg"):
            raise InputError("formats", fmt, "must be png, pdf or svg")
    check_output_dir(directory, argument="--plot", force=force)
    sweep = tuple(sorted(set(sweep or ev.grid or SWEEP)))
    figures = {"spectra": _spectra_figure(ev), "rank_proxy": _rank_proxy_figure(ev, sweep)}
    fig, why = _bound_figure(ev, sweep)
    if fig is not None:
        figures["bound_vs_p"] = fig
    elif why not in ev.notes:
        ev.notes.append(f"plot skipped: {why}")
    names = []
    with staged_output(directory, argument="--plot", force=force, command="schattheory evaluate --plot") as tmp:
        for name, figure in figures.items():
            for fmt in formats:
                with open(tmp / f"{name}.{fmt}", "wb") as fh:
                    figure.savefig(fh, format=fmt, dpi=150, metadata=_metadata(fmt))
                names.append(f"{name}.{fmt}")
    return [os.path.join(os.fspath(directory), n) for n in names]


def _metadata(fmt):
    # reproducible files: no creation date
    return {"CreationDate": None} if fmt == "pdf" else ({"Software": None} if fmt == "png" else None)
