"""Statistics: satisfaction ratings and the plan's enforcement figures per year."""
