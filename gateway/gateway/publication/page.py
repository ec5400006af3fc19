"""The annual performance evaluation as a printable HTML page (Jinja2, autoescaped: titles and
evidence come from events). The page has no script; its style sheet is the gateway's own
(/static/report.css, with print rules), which the Content-Security-Policy allows."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, select_autoescape

from gateway.publication.labels import OWNERS, UNITS, Lang, number, status, target, text, title
from gateway.publication.report import AnnualReport
from gateway.publication.workbook import header

TEMPLATE = """<!doctype html>
<html lang="{{ 'zh-CN' if lang == 'zh' else 'en' }}">
<head>
<meta charset="utf-8">
<title>{{ t('report_title', year=report.year) }}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/report.css">
</head>
<body>
<h1>{{ t('report_title', year=report.year) }}</h1>
<p class="note">{{ t('note') }}</p>
<p class="meta">{{ t('generated') }}: {{ report.generated_at.strftime('%Y-%m-%d %H:%M UTC') }}</p>
<table id="indicators">
<thead><tr>{% for h in columns %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>
{% for line in report.lines %}{% set s = line.series %}
<tr data-indicator="{{ s.indicator }}" data-status="{{ s.judgement.status }}">
<td>{{ s.goal or '' }}</td><td class="name">{{ title(s) }}</td>
<td>{{ units[s.unit] }}</td><td>{{ owners[s.owner] }}</td>
{% for v in s.series %}<td class="num" data-year="{{ v.year }}">
{{- number(v.value) if s.has_source else t('no_data') }}</td>{% endfor %}
<td class="num">{{ s.judgement.average_growth_pct if s.judgement.average_growth_pct is not none else '—' }}</td>
<td>{{ target(s) }}</td><td class="status {{ s.judgement.status }}">{{ status(s.judgement.status) }}</td>
</tr>
{% endfor %}
</tbody>
</table>
<h2>{{ t('milestones') }}</h2>
<ul id="milestones">
{% for goal in report.milestones %}
<li data-goal="{{ goal.goal }}"><strong>{{ goal.title_zh if lang == 'zh' else goal.title_en }}</strong>:
{% if goal.milestones %}<ul>{% for m in goal.milestones %}
<li>{{ m.title_zh if lang == 'zh' else m.title_en }}
({{ t('achieved_on') }} {{ m.achieved_on }}; {{ t('evidence') }}: {{ m.evidence }})</li>
{% endfor %}</ul>{% else %}{{ t('no_data') }}{% endif %}
</li>
{% endfor %}
</ul>
{% for line in report.lines %}
<section class="records" data-indicator="{{ line.series.indicator }}">
<h2>{{ title(line.series) }}</h2>
<h3>{{ t('subjects', year=report.year) }}</h3>
{% if not line.series.has_source %}<p>{{ t('no_data') }}</p>
{% elif not line.subjects %}<p>{{ t('no_records') }}</p>
{% else %}<ol>{% for subject in line.subjects %}<li><code>{{ subject }}</code></li>{% endfor %}</ol>{% endif %}
</section>
{% endfor %}
</body>
</html>
"""

_ENV = Environment(loader=DictLoader({"report.html": TEMPLATE}), autoescape=select_autoescape(default=True))


def report_html(report: AnnualReport, lang: Lang) -> str:
    """The page of `report` in `lang`."""
    return _ENV.get_template("report.html").render(
        report=report, lang=lang, columns=header(report, lang), units=UNITS[lang], owners=OWNERS[lang],
        t=lambda key, **values: text(lang, key, **values), title=lambda s: title(s, lang),
        number=lambda v: number(v, lang), target=lambda s: target(s, lang), status=lambda c: status(c, lang),
    )  # fmt: skip
