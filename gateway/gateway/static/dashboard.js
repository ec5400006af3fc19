// The public dashboard: reads the gateway's public API and shows each indicator of the plan with
// its judgement, its per-year values and the chart the gateway draws (an SVG image). No external
// requests, no inline script (the page's CSP forbids both).
"use strict";

const TEXT = {
  zh: {
    title: "东丽区知识产权运营服务体系建设 · 规划目标进展",
    subtitle: "2019—2022 年实施方案的量化目标，数据来自各业务系统的实时事件",
    progress: "目标进展", projects: "已验收的专利导航项目", cases: "维权执法统计（匿名）",
    loading: "加载中…", failed: "暂时无法获取数据，稍后自动重试。",
    footer: "数据每几秒更新；“暂无数据”表示该指标的来源系统尚未接入；带 * 的年份为年初至今，不作评价。",
    switchTo: "English", noData: "暂无数据", target: "目标", perYear: "每年", growth: "年均增幅", by: "至",
    avgGrowth: "年均增幅", source: "数据来源", evidence: "佐证", report: "年度绩效评价", printable: "打印版",
    milestones: "目标（七）至（九）里程碑",
    status: { met: "已达成", not_met: "未达成", year_to_date: "年初至今", no_base: "无基数", no_data: "暂无数据" },
    units: { count: "", yuan: "元", points: "分" },
    owners: { pledge: "质押融资", trusteeship: "知识产权托管", navigation: "专利导航", enforcement: "维权执法",
              operations: "知识产权运营" },
    kinds: { industry_planning: "产业规划类", enterprise_operation: "企业运营类" },
    projectCols: ["项目", "类别", "产业", "承担单位", "验收日期"],
    caseCols: ["年份", "案件总数", "快速维权", "获得服务的企业", "结案", "按期结案率", "满意度", "按类型"],
    caseTypes: {
      patent_infringement_adjudication: "专利侵权纠纷行政裁决", patent_mediation: "专利纠纷调解",
      counterfeit_patent: "假冒专利查处", trademark_enforcement: "商标行政执法",
      assistance: "维权援助", overseas_assistance: "海外纠纷应对指导",
    },
    none: "暂无记录",
  },
  en: {
    title: "Dongli District IP Operations Service System · Plan Progress",
    subtitle: "The 2019–2022 plan's numeric targets, from the live events of the operational systems",
    progress: "Progress on targets", projects: "Accepted patent navigation projects",
    cases: "Enforcement statistics (anonymised)",
    loading: "Loading…", failed: "Figures are unavailable right now; retrying shortly.",
    footer: "Figures refresh every few seconds; \u201cno data yet\u201d means the figure's source system is not connected yet; a year marked * is year to date and not judged.",
    switchTo: "中文", noData: "No data yet", target: "Target", perYear: "every year", growth: "average growth a year",
    by: "by", avgGrowth: "average growth", source: "Source", evidence: "evidence", report: "Performance evaluation",
    printable: "printable", milestones: "Goals 7-9: milestones",
    status: { met: "Met", not_met: "Not met", year_to_date: "Year to date", no_base: "No base", no_data: "No data yet" },
    units: { count: "", yuan: "yuan", points: "points" },
    owners: { pledge: "pledge", trusteeship: "trusteeship", navigation: "navigation", enforcement: "enforcement",
              operations: "operations" },
    kinds: { industry_planning: "Industry planning", enterprise_operation: "Enterprise operation" },
    projectCols: ["Project", "Kind", "Industry", "Undertaken by", "Accepted"],
    caseCols: ["Year", "Cases", "Rapid channel", "Enterprises served", "Closed", "Closed in time", "Satisfaction", "By type"],
    caseTypes: {
      patent_infringement_adjudication: "Patent infringement adjudication", patent_mediation: "Patent mediation",
      counterfeit_patent: "Counterfeit patents", trademark_enforcement: "Trademark enforcement",
      assistance: "Rights-protection assistance", overseas_assistance: "Overseas disputes",
    },
    none: "Nothing recorded yet",
  },
};

let lang = new URLSearchParams(location.search).get("lang") || localStorage.getItem("ipops.lang") || "zh";
if (!TEXT[lang]) lang = "zh";
let data = { progress: null, projects: null, cases: null };

function t(key) { return TEXT[lang][key]; }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function goalText(s) {
  if (s.target === "growth") return `${t("target")}: +${s.growth_pct}% ${t("growth")}`;
  if (s.target === "per_year") return `${t("target")}: ≥ ${s.target_value} ${t("perYear")}`;
  return `${t("target")}: ≥ ${s.target_value} (${t("by")} ${data.progress.judged_year})`;
}

function shown(value) {
  // Values arrive as decimal strings; they are shown as they are, never computed with.
  return value === null ? "—" : value;
}

function seriesTable(s) {
  // Every year's value, as the owning service's statistics give it; the current year marked.
  const table = el("table", { class: "series", "data-indicator": s.indicator });
  const years = el("tr", {}, ...s.series.map((v) => el("th", { scope: "col" }, v.year_to_date ? `${v.year}*` : String(v.year))));
  const values = el("tr", {}, ...s.series.map((v) =>
    el("td", { "data-year": String(v.year), class: v.year_to_date ? "ytd" : "" }, s.has_source ? shown(v.value) : "—")));
  table.append(el("thead", {}, years), el("tbody", {}, values));
  return el("div", { class: "series-wrap" }, table);
}

function card(s) {
  const node = el("article", { class: "card", "data-indicator": s.indicator });
  node.append(el("h3", {}, lang === "zh" ? s.title_zh : s.title_en));
  const j = s.judgement;
  const badge = { met: "ok", not_met: "behind" }[j.status] || "";
  node.append(el("span", { class: `badge ${badge}`, "data-status": j.status }, t("status")[j.status]));
  if (s.has_source) {
    let figure = `${j.judged_year}: ${shown(j.value)} ${t("units")[s.unit]}`;
    if (j.average_growth_pct !== null) figure += ` · ${t("avgGrowth")} ${j.average_growth_pct}%`;
    node.append(el("div", { class: "figure" }, figure));
  } else {
    node.append(el("div", { class: "nodata" }, t("noData")));
  }
  node.append(el("div", { class: "goal" }, goalText(s)));
  node.append(el("div", { class: "owner" }, `${t("source")}: ${t("owners")[s.owner] || s.owner}`));
  node.append(el("img", { class: "chart", alt: lang === "zh" ? s.title_zh : s.title_en,
                          src: `/api/v1/public/charts/${encodeURIComponent(s.indicator)}.svg?lang=${lang}` }));
  node.append(seriesTable(s));
  return node;
}

function milestones() {
  return data.progress.milestones.map((g) => el("li", { "data-goal": String(g.goal) },
    el("strong", {}, lang === "zh" ? g.title_zh : g.title_en), ": ",
    g.milestones.length
      ? el("ul", {}, ...g.milestones.map((m) => el("li", {},
          `${lang === "zh" ? m.title_zh : m.title_en} (${m.achieved_on}; ${t("evidence")}: ${m.evidence})`)))
      : el("span", { class: "nodata" }, t("noData"))));
}

function reportLinks() {
  const year = data.progress.judged_year;
  const base = `/api/v1/public/report/${year}?lang=${lang}`;
  return [el("a", { href: `${base}&format=xlsx` }, `${t("report")} ${year} (XLSX)`), " · ",
          el("a", { href: `${base}&format=html` }, `${t("report")} ${year} (${t("printable")})`)];
}

function renderTables() {
  const pt = document.getElementById("projects");
  pt.tHead.replaceChildren(el("tr", {}, ...t("projectCols").map((c) => el("th", {}, c))));
  const items = data.projects ? data.projects.items : [];
  pt.tBodies[0].replaceChildren(...(items.length ? items.map((p) => el("tr", {},
    el("td", { class: "wrap" }, p.title), el("td", {}, t("kinds")[p.kind] || p.kind), el("td", {}, p.industry),
    el("td", { class: "wrap" }, p.undertaking_org_name || p.undertaking_org), el("td", {}, p.accepted_at.slice(0, 10))))
    : [el("tr", {}, el("td", { colspan: "5" }, t("none")))]));
  const ct = document.getElementById("cases");
  ct.tHead.replaceChildren(el("tr", {}, ...t("caseCols").map((c) => el("th", {}, c))));
  const years = data.cases ? data.cases.years : [];
  ct.tBodies[0].replaceChildren(...(years.length ? years.map((y) => el("tr", {},
    el("td", {}, String(y.year)), el("td", {}, String(y.total)), el("td", {}, String(y.by_channel.rapid || 0)),
    el("td", {}, String(y.enterprises_served)), el("td", {}, String(y.closed)),
    el("td", {}, y.closed_within_deadline_pct === null ? "—" : `${y.closed_within_deadline_pct}%`),
    el("td", {}, y.satisfaction === null ? "—" : y.satisfaction),
    el("td", { class: "wrap" }, Object.entries(y.by_type).map(([k, n]) => `${t("caseTypes")[k] || k} ${n}`).join(" · "))))
    : [el("tr", {}, el("td", { colspan: "8" }, t("none")))]));
}

function render() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.getElementById("lang").textContent = t("switchTo");
  const status = document.getElementById("status");
  if (!data.progress) return;
  status.textContent = "";
  status.hidden = true;
  document.getElementById("targets").replaceChildren(...data.progress.indicators.map(card));
  document.getElementById("milestones").replaceChildren(...milestones());
  document.getElementById("report-links").replaceChildren(...reportLinks());
  renderTables();
}

async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}

async function load() {
  try {
    const [progress, projects, cases] = await Promise.all([
      getJson("/api/v1/public/progress"),
      getJson("/api/v1/public/navigation-projects?limit=50"),
      getJson("/api/v1/public/enforcement-statistics"),
    ]);
    data = { progress, projects, cases };
    render();
    document.body.dataset.ready = "true";
  } catch (err) {
    const status = document.getElementById("status");
    status.hidden = false;
    status.textContent = t("failed");
  }
}

document.getElementById("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem("ipops.lang", lang);
  render();
});

render();
load();
setInterval(load, 30000);
