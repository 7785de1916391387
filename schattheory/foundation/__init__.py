"""Layer 0, the foundation: errors, symbols, assumptions, provenance and citations, printing and the LaTeX text
escaper, safe parsing, structured left-hand sides, NetworkStats, checked input, safe output, the registry's manifest.

Nothing here imports a higher layer (see ``schattheory.LAYERS``)."""
