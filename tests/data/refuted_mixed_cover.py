"""REFUTED: the first release's per-layer mixed cover, kept only as test data (never registered).

    ln N_l(eps) <= a j + Omega X^2 (rho/(j+1))^(2/p) / eps^2      (a = U + d + 1; "dominant", logs dropped)

It charged the tail beyond rank j its *spectral* norm with a small multiplicity Omega. Maurey's lemma needs the
tail's Frobenius (or (2,1)) norm. Counterexample: one dense w x w layer, inputs x_i = e_i (n = w), B = gamma = s = 1,
p = 2, rho = 1: the class is the unit Frobenius ball in the metric ||.||_F / sqrt(w); at eps = 1/(2 sqrt w) volume
gives ln N >= w^2 ln 2, while this form claims 4w at j = 0, Omega = 1 (false for w >= 6) and about 5.7 w^1.5
minimised over j with Omega = w (false for w >= 64).
"""

import sympy as sp

a, Omega, X, rho, p, eps = sp.symbols("a Omega X rho p epsilon", positive=True)
j = sp.Symbol("j", integer=True, nonnegative=True)

OLD_SPLIT = a * j + Omega * X**2 * (rho / (j + 1)) ** (2 / p) / eps**2


def old_split(a_val, j_val, omega, x_val, rho_val, p_val, eps_val) -> float:
    """The refuted form at a point (float)."""
    return float(OLD_SPLIT.subs({a: a_val, j: j_val, Omega: omega, X: x_val, rho: rho_val, p: p_val, eps: eps_val}))
