"""ipops: the platform library shared by the four services and the gateway."""

__version__ = "0.1.0"
