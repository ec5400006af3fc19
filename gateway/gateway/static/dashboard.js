// The public dashboard: reads the gateway's public API and draws each target of the plan with
// an inline SVG chart. No external requests, no inline script (the page's CSP forbids both).
"use strict";

const TEXT = {
  zh: {
    title: "东丽区知识产权运营服务体系建设 · 规划目标进展",
    subtitle: "2019—2022 年实施方案的量化目标，数据来自各业务系统的实时事件",
    progress: "目标进展", projects: "已验收的专利导航项目", cases: "维权执法统计（匿名）",
    loading: "加载中…", failed: "暂时无法获取数据，稍后自动重试。",
    footer: "数据每几秒更新；“暂无数据”表示尚无业务系统记录该指标。",
    switchTo: "English", noData: "暂无数据", met: "已达成", behind: "未达成", open: "进行中",
    target: "目标", perYear: "每年", growth: "年增长", current: "当前", by: "至",
    latestGrowth: "最近一年增长", cumulative: "累计",
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
    footer: "Figures refresh every few seconds; \u201cno data yet\u201d means no system records the figure yet.",
    switchTo: "中文", noData: "No data yet", met: "Met", behind: "Not yet met", open: "In progress",
    target: "Target", perYear: "a year", growth: "growth a year", current: "Current", by: "by",
    latestGrowth: "Latest yearly growth", cumulative: "cumulative",
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

const SVG = "http://www.w3.org/2000/svg";
let lang = new URLSearchParams(location.search).get("lang") || localStorage.getItem("ipops.lang") || "zh";
if (!TEXT[lang]) lang = "zh";
let data = { progress: null, projects: null, cases: null };

function t(key) { return TEXT[lang][key]; }

function el(tag, attrs, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

function amount(value, unit) {
  // Money arrives as a decimal string; it is only formatted here, never computed with.
  const n = Number(value);
  if (unit !== "yuan") return n.toLocaleString(lang === "zh" ? "zh-CN" : "en");
  if (lang === "zh") return (n / 10000).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 万元";
  if (n >= 1e6) return (n / 1e6).toLocaleString("en", { maximumFractionDigits: 2 }) + "M yuan";
  return n.toLocaleString("en", { maximumFractionDigits: 2 }) + " yuan";
}

function goalText(target) {
  const g = target.target;
  if (target.kind === "growth") return `${t("target")}: +${g.growth_pct}% ${t("growth")}`;
  if (target.kind === "per_year") return `${t("target")}: ≥ ${g.value} ${t("perYear")}`;
  return `${t("target")}: ≥ ${g.value} (${t("by")} ${g.by_year})`;
}

function chart(target) {
  // One bar per year (the yearly figure; for cumulative targets the running total), the value
  // above each bar, the year below; for cumulative targets a dashed line at the target level.
  const rows = target.by_year;
  const W = 300, H = 150, top = 18, bottom = 20, left = 6;
  const values = rows.map((r) => Number(target.kind === "cumulative" ? r.cumulative : r.value));
  const goal = target.kind === "cumulative" || target.kind === "per_year" ? target.target.value : null;
  const max = Math.max(1, ...values, goal || 0);
  const svg = el("svg:svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "data-target": target.id,
                              "aria-label": target.title[lang] });
  const slot = (W - left * 2) / Math.max(rows.length, 1);
  const barW = Math.min(48, slot * 0.6);
  rows.forEach((r, i) => {
    const h = ((H - top - bottom) * values[i]) / max;
    const x = left + slot * i + (slot - barW) / 2;
    const y = H - bottom - h;
    svg.append(el("svg:rect", { class: "bar", x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1),
                                height: Math.max(h, 1).toFixed(1), rx: "3" }));
    const label = target.unit === "yuan" ? amount(values[i], "yuan") : values[i].toLocaleString();
    const growth = r.growth_pct !== null && target.kind === "growth" ? ` (${Number(r.growth_pct) >= 0 ? "+" : ""}${r.growth_pct}%)` : "";
    svg.append(el("svg:text", { x: (x + barW / 2).toFixed(1), y: (y - 4).toFixed(1), "text-anchor": "middle" }, label + growth));
    svg.append(el("svg:text", { x: (x + barW / 2).toFixed(1), y: String(H - 5), "text-anchor": "middle" }, String(r.year)));
  });
  svg.append(el("svg:line", { class: "axis", x1: "0", x2: String(W), y1: String(H - bottom), y2: String(H - bottom) }));
  if (goal) {
    const y = (H - bottom - ((H - top - bottom) * goal) / max).toFixed(1);
    svg.append(el("svg:line", { x1: "0", x2: String(W), y1: y, y2: y, stroke: "#c8102e", "stroke-dasharray": "4 3" }));
  }
  return svg;
}

function progressBar(pct) {
  const width = Math.max(0, Math.min(100, Number(pct)));
  const svg = el("svg:svg", { class: "progress-svg", viewBox: "0 0 100 6", preserveAspectRatio: "none", width: "100%", height: "8" });
  svg.append(el("svg:rect", { x: "0", y: "0", width: "100", height: "6", rx: "3", fill: "#e6e9f0" }));
  svg.append(el("svg:rect", { x: "0", y: "0", width: String(width), height: "6", rx: "3", fill: "#1a7f37" }));
  return svg;
}

function card(target) {
  const node = el("article", { class: "card", "data-target": target.id });
  node.append(el("h3", {}, target.title[lang]));
  if (target.status === "no_data") {
    node.append(el("span", { class: "badge" }, t("noData")));
    node.append(el("div", { class: "goal" }, goalText(target)));
    node.append(el("div", { class: "nodata" }, t("noData")));
    return node;
  }
  const badge = target.met === true ? ["ok", t("met")] : target.met === false ? ["behind", t("behind")] : ["", t("open")];
  node.append(el("span", { class: `badge ${badge[0]}` }, badge[1]));
  let figure = `${t("current")}: ${amount(target.current, target.unit)}`;
  if (target.kind === "growth" && target.latest_growth_pct !== null) {
    figure += ` · ${t("latestGrowth")} ${target.latest_growth_pct}%`;
  }
  node.append(el("div", { class: "figure" }, figure));
  node.append(el("div", { class: "goal" }, goalText(target)));
  if (target.kind === "cumulative" && target.progress_pct !== undefined && target.progress_pct !== null) {
    node.append(progressBar(target.progress_pct));
  }
  if (target.by_year.length) node.append(chart(target));
  else node.append(el("div", { class: "nodata" }, t("none")));
  return node;
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
  document.getElementById("targets").replaceChildren(...data.progress.targets.map(card));
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
