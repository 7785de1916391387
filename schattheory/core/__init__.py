"""Layer 1, the statement core: :class:`~schattheory.core.bound.Bound`, the registry, limit checks, Hypothesis
strategies for users' tests (:mod:`.testing`), and the derivation engine with its general steps (:mod:`.derivation`).

Imports only the foundation (see ``schattheory.LAYERS``)."""
