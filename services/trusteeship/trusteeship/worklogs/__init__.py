"""Work logs: the work agencies log (one by one or in bulk) and their work queue."""
