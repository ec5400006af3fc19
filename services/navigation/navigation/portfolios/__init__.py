"""High-value patent portfolios of enterprises, checked against the plan's 50/10 definition."""
