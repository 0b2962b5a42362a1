"""Carnet: a fast, lean, safe implementation of the classic Jupyter Notebook system."""

__version__ = "0.1.0"
