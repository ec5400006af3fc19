"""ipops trusteeship service: IP custody of small enterprises by service agencies."""

__version__ = "0.1.0"
