"""Patent data sets of a project: uploads, their DuckDB landscape and its printable report."""
