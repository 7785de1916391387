"""The bounds: one paper per module, each registering its statements and network forms (imported on first use)."""

#: the network family of the target paper's main bound (drawn against p in plots, optimised per layer)
MAIN_FAMILY = "ledent2025"

#: what a row of the main family is, as its results and statements say (here, not in the family's module, so that
#: evaluating another family does not import it)
CERTIFIED = "certified bound (union over the norm, margin and p grids charged; dense ReLU layers, M_l = 0, p < 2)"
DOMINANT_ONLY = "dominant form only (constants and logarithms dropped; not a bound)"
