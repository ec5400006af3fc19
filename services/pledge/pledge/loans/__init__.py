"""Loans: IP-pledged loans, their state machine (a table of moves), repayments, registration, DPD."""
