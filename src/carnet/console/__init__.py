"""`carnet console`: a terminal REPL attached to any Jupyter kernel."""
