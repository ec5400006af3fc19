"""ipops operations service: the IP operations register of the Dongli plan (goals 一, 三, 五)."""

__version__ = "0.1.0"
