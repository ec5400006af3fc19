"""ipops enforcement service: rights-protection and administrative enforcement cases."""

__version__ = "0.1.0"
