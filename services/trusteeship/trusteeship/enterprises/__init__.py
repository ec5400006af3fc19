"""Enterprises: the enterprises held, their patents, trademarks, first patents and profile."""
