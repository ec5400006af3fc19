"""Insurance: the IP insurance policies enterprises hold, counted in the statistics."""
