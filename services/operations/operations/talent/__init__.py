"""Talent: training sessions and registered IP commissioners (task 7)."""
