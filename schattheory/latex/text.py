"""Plain text into LaTeX: the one escaper lives in :mod:`schattheory.tex_text` (the foundation layer, so that the
statement core can escape the text of derivation steps without importing the LaTeX layer); re-exported here."""
from ..tex_text import (  # noqa: F401
    _PAIRS,
    _SPECIAL,
    _UNICODE,
    __all__,
    breakable_key,
    cite_command,
    cite_keys,
    escape,
    escape_breakable,
    escape_text,
    text_mode_problems,
)
