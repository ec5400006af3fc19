"""Statistics: the plan's trusteeship figures (coverage, valid patents, certifications, work)."""
