"""Banks: the cooperating banks, their registration, and their suspension from the pool."""
