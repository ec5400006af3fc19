"""What the gateway publishes from the indicator figures besides JSON: per-year SVG charts for
the dashboard, and the annual performance evaluation (分年度绩效评价) as an XLSX workbook and a
printable HTML page, in Chinese and English. Every number shown comes from
`ipops.indicators.statistics.IndicatorSeries`; nothing here computes a figure."""
