"""Enrolments: which agency holds an enterprise, since when; the rule of who may read and change it."""
