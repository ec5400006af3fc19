"""Statistics: the plan's pledge figures per year."""
