"""ipops pledge financing service."""

__version__ = "0.1.0"
