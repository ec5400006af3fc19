"""The indicator system: the plan's figures, one definition each, from event to annual report.

- `catalogue`: which indicators exist, their owner service, measure, unit and target;
- `ledger`: the `indicator_contribution` table and `contribute` / `withdraw`, called by use cases
  in the transaction of the change (the event goes through the outbox);
- `figures`: the one arithmetic that turns contributions into yearly values;
- `evaluation`: growth as the plan means it, and met / not met / year to date;
- `statistics`: the `/statistics/indicators` answer every owning service gives.

What counts is decided only in each owning service's `domain/indicators.py`.
"""
