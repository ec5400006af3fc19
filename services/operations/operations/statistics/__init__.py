"""Statistics: the plan's operations indicators and the register's yearly figures."""
