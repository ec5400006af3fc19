"""Claims: compensation claims on defaulted loans, paid from the pool or refused, and recoveries."""
