"""Layer 6, outputs: LaTeX documents, the report, the command line and its commands, plug-ins, the manifest
writer. The top layer: nothing in the package imports it."""
