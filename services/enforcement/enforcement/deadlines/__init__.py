"""Deadlines: the running clocks of open cases, kept up to date, and the overdue and at-risk lists."""
