"""Patent landscape analysis: a data set on disk analysed by DuckDB SQL (`analysis`), rendered as a
printable HTML report with server-side SVG charts (`report`), and a seeded generator of realistic
Chinese-format records (`sample`)."""
