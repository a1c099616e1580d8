"""Commune: self-governance for worker organisations."""

__version__ = "0.1.0"
