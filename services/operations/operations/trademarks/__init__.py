"""Trademarks: overseas marks (Madrid international registrations) and their designations."""
