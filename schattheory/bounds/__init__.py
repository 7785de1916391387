"""The bounds: one paper per module, each registering its statements and network forms (imported on first use)."""

#: the network family of the target paper's main bound (drawn against p in plots, optimised per layer)
MAIN_FAMILY = "ledent2025"
