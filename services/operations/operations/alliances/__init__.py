"""Alliances: industry IP alliances and their members."""
