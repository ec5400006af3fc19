"""ipops patent navigation service."""

__version__ = "0.1.0"
