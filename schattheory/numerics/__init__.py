"""Layer 0, numerics: exact and overflow-safe numerics (stable, matrix, backends, limits, domain) and the
spectral functions (schatten, matrix_expr). The only home of precision handling is :mod:`.backends`.

Nothing here imports a higher layer (see ``schattheory.LAYERS``)."""
