"""REFUTED FORMS: statements that the toolkit once registered and that are false, kept as test data only.

Nothing here is a bound. Each form is written out literally (not imported), so that the regression tests keep
refuting exactly what was once claimed, whatever the package registers now.
"""

from schattheory.foundation.symbols import Omega, X, a, eps, j, p, rho

#: ``covering.mixed_layer.split`` as first registered (lemmas/mixed_cover.py, "dominant form"): claimed
#: ln N_l(eps) <~ a j + Omega X^2 (rho/(j+1))^(2/p) / eps^2 for every truncation rank j. REFUTED: a spectral-norm
#: tail has no Maurey cost Omega X^2/eps^2 with small Omega (one dense w x w layer, inputs e_i, p = 2, rho = 1:
#: the class is the unit Frobenius ball and ln N(1/(2 sqrt w)) >= w^2 ln 2 > 4w for w >= 6).
OLD_MIXED_LAYER_SPLIT = a * j + Omega * X**2 * (rho / (j + 1)) ** (2 / p) / eps**2
