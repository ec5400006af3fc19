# ruff: noqa: RUF001  (full-width forms are the data: Chinese names and punctuation)
"""A seeded generator of realistic Chinese-format patent records, for fixtures, demos and the
benchmark (no download at run time: every name and code is listed here).

What makes the data realistic enough to test the analysis: valid application numbers (check digits
by `ipops.identifiers.make_patent_number`, type digits in the usual mix), real IPC codes of the
district's priority industries, applicants with the spelling variants real exports carry
(full-width forms, with or without 有限公司 / Co., Ltd.), Zipf-like applicant sizes, rising filings,
Chinese and English legal-status words, families, PCT flags, duplicated A/B publications and a few
corrupted numbers. The same seed always gives the same file.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ipops.identifiers import make_patent_number
from navigation.domain.patent_data import COLUMNS

IPC_BY_INDUSTRY: dict[str, list[str]] = {
    "nev_icv": [
        "H01M 10/0525",
        "H01M 4/525",
        "H01M 10/613",
        "H01M 50/20",
        "B60L 53/80",
        "B60L 58/12",
        "B60W 30/09",
        "B60W 60/00",
        "G06V 20/58",
        "G08G 1/16",
        "H02J 7/00",
        "B60K 6/44",
    ],
    "biomedicine": [
        "A61K 31/4439",
        "A61K 9/20",
        "A61P 35/00",
        "C07D 401/04",
        "A61B 5/00",
        "A61B 17/34",
        "A61M 25/00",
        "C12N 15/113",
        "G01N 33/68",
        "A61F 2/82",
    ],
    "new_materials": [
        "C08L 63/00",
        "C08K 3/04",
        "C01B 32/184",
        "C04B 35/565",
        "B32B 27/08",
        "C08J 5/18",
        "H01B 1/24",
    ],
    "high_end_equipment": [
        "B25J 9/16",
        "B23K 26/38",
        "B23Q 17/24",
        "G05B 19/418",
        "F16H 1/32",
        "B65G 47/90",
        "G01B 11/24",
    ],
    "modern_metallurgy": [
        "C22C 38/02",
        "C22C 38/04",
        "C21D 8/02",
        "C21D 9/46",
        "B22F 3/105",
        "C21C 7/00",
        "B21B 1/22",
    ],
}

# (name, industry, region, district?, English?) — a mix of district firms, other Chinese firms,
# universities and foreign companies.
APPLICANTS: list[tuple[str, str, str, bool, bool]] = [
    ("天津力神电池股份有限公司", "nev_icv", "天津", False, False),
    ("比亚迪汽车工业（天津）有限公司", "nev_icv", "天津", True, False),
    ("天津东丽新能源汽车科技有限公司", "nev_icv", "天津", True, False),
    ("宁德时代新能源科技股份有限公司", "nev_icv", "福建", False, False),
    ("比亚迪股份有限公司", "nev_icv", "广东", False, False),
    ("中汽研汽车检验中心（天津）有限公司", "nev_icv", "天津", True, False),
    ("北京理工大学", "nev_icv", "北京", False, False),
    ("Toyota Motor Corporation", "nev_icv", "JP", False, True),
    ("LG Chem, Ltd.", "nev_icv", "KR", False, True),
    ("Samsung SDI Co., Ltd.", "nev_icv", "KR", False, True),
    ("Robert Bosch GmbH", "nev_icv", "DE", False, True),
    ("天津天药药业股份有限公司", "biomedicine", "天津", False, False),
    ("天津东丽医疗器械有限公司", "biomedicine", "天津", True, False),
    ("江苏恒瑞医药股份有限公司", "biomedicine", "江苏", False, False),
    ("天津大学", "biomedicine", "天津", False, False),
    ("迈瑞医疗国际股份有限公司", "biomedicine", "广东", False, False),
    ("F. Hoffmann-La Roche AG", "biomedicine", "CH", False, True),
    ("中国科学院宁波材料技术与工程研究所", "new_materials", "浙江", False, False),
    ("天津东丽碳纤维材料有限公司", "new_materials", "天津", True, False),
    ("万华化学集团股份有限公司", "new_materials", "山东", False, False),
    ("Toray Industries, Inc.", "new_materials", "JP", False, True),
    ("天津市东丽精密装备有限公司", "high_end_equipment", "天津", True, False),
    ("沈阳新松机器人自动化股份有限公司", "high_end_equipment", "辽宁", False, False),
    ("大族激光科技产业集团股份有限公司", "high_end_equipment", "广东", False, False),
    ("FANUC Corporation", "high_end_equipment", "JP", False, True),
    ("天津钢管制造有限公司", "modern_metallurgy", "天津", True, False),
    ("宝山钢铁股份有限公司", "modern_metallurgy", "上海", False, False),
    ("东北大学", "modern_metallurgy", "辽宁", False, False),
    ("JFE Steel Corporation", "modern_metallurgy", "JP", False, True),
    ("Nippon Steel Corporation", "modern_metallurgy", "JP", False, True),
]

DISTRICT_APPLICANTS = [name for name, _, _, district, _ in APPLICANTS if district]
# English spellings some exports give Chinese applicants: no name key merges them, an alias does
# (the district register's aliases, or the operator's alias table).
ENGLISH_NAMES = {
    "天津东丽新能源汽车科技有限公司": "Tianjin Dongli New Energy Automobile Technology Co., Ltd.",
    "天津东丽医疗器械有限公司": "Tianjin Dongli Medical Instrument Co., Ltd.",
    "天津力神电池股份有限公司": "Tianjin Lishen Battery Joint-Stock Co., Ltd.",
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志鹏宇浩然子涵欣怡晨阳雨泽思远博文"
EN_GIVEN = ["Hiroshi", "Takashi", "Min-jun", "Ji-ho", "Thomas", "Stefan", "Anna", "Yuki", "Kenji", "Maria"]
EN_FAMILY = ["Tanaka", "Suzuki", "Kim", "Park", "Mueller", "Schmidt", "Weber", "Sato", "Lee", "Fischer"]

STATUS_WORDS = {
    "valid": ["有效", "有效", "授权", "valid", "有效专利", "有效;授权", "ACTIVE"],
    "pending": ["审中", "实质审查", "pending", "审中-实质审查", "PENDING"],
    "invalid": [
        *("失效", "未缴年费", "驳回", "视为撤回", "lapsed", "期限届满"),
        *("失效-未缴年费", "权利终止", "Inactive - Lapsed"),
    ],
}
KIND_CODE = {"1": "A", "8": "A", "2": "U", "9": "U", "3": "S"}
TITLES: dict[str, list[str]] = {
    "nev_icv": [
        "一种动力电池热管理装置",
        "一种锂离子电池正极材料",
        "一种电动汽车充电控制方法",
        "一种车道保持辅助系统",
        "一种电池包壳体结构",
        "一种基于视觉的障碍物检测方法",
    ],
    "biomedicine": ["一种激酶抑制剂化合物", "一种缓释片剂", "一种介入导管", "一种血液检测试剂盒", "一种可降解血管支架"],
    "new_materials": ["一种碳纤维增强环氧树脂复合材料", "一种石墨烯导电薄膜", "一种碳化硅陶瓷", "一种高阻隔多层膜"],
    "high_end_equipment": [
        "一种工业机器人轨迹规划方法",
        "一种激光切割头",
        "一种数控机床误差补偿方法",
        "一种精密减速器",
    ],
    "modern_metallurgy": [
        "一种高强度热轧钢板",
        "一种无缝钢管热处理工艺",
        "一种金属粉末激光成形方法",
        "一种转炉炼钢方法",
    ],
}
TYPE_MIX = [("1", 0.55), ("2", 0.35), ("3", 0.05), ("8", 0.04), ("9", 0.01)]
# The columns the service reads, in its own order: the sample writes what an export would.
FIELDS = list(COLUMNS)

_FULL = {chr(c - 0xFEE0): chr(c) for c in range(0xFF01, 0xFF5F)} | {" ": "\u3000"}


def _full_width(text: str) -> str:
    return "".join(_FULL.get(ch, ch) for ch in text)


def _variant(name: str, english: bool, rng: random.Random) -> str:
    """One spelling of `name` as an export might write it."""
    roll = rng.random()
    if english:
        if roll < 0.6:
            return name
        if roll < 0.8:
            return name.upper().replace(",", "").replace(".", "")
        if roll < 0.9:
            return _full_width(name)
        for suffix in (" Co., Ltd.", ", Ltd.", " Corporation", " GmbH", " AG", ", Inc."):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name
    if roll >= 0.96 and name in ENGLISH_NAMES:
        return ENGLISH_NAMES[name]
    if roll < 0.75:
        return name
    if roll < 0.85 and ("（" in name or "(" in name):
        if "（" in name:
            return name.replace("（", "(").replace("）", ")")
        return name.replace("(", "（").replace(")", "）")
    if roll < 0.93:
        for suffix in ("股份有限公司", "有限公司"):
            if name.endswith(suffix):
                return name[: -len(suffix)] + ("有限公司" if suffix == "股份有限公司" else "")
        return name
    return name + " "


class _Generator:
    def __init__(self, seed: int, first_year: int, last_year: int) -> None:
        self.rng = random.Random(seed)
        self.years = list(range(first_year, last_year + 1))
        # filings grow about 12 % a year
        self.year_weights = [1.12**i for i in range(len(self.years))]
        self.applicant_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(APPLICANTS))]
        self.serials: dict[tuple[int, str], int] = {}
        self.publication_serial = 100_000_000 + self.rng.randrange(1_000_000)
        self.family_serial = 0
        self.inventor_pool = {i: [self._inventor(APPLICANTS[i][4]) for _ in range(25)] for i in range(len(APPLICANTS))}

    def _inventor(self, english: bool) -> str:
        if english:
            return f"{self.rng.choice(EN_GIVEN)} {self.rng.choice(EN_FAMILY)}"
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
        return self.rng.choice(SURNAMES) + given

    def _number(self, year: int, digit: str) -> str:
        key = (year, digit)
        serial = self.serials.get(key, self.rng.randrange(100_000, 900_000))
        self.serials[key] = serial + 1
        return make_patent_number(year, digit, serial)

    def record(self) -> dict[str, Any]:
        rng = self.rng
        year = rng.choices(self.years, self.year_weights)[0]
        digit = rng.choices([d for d, _ in TYPE_MIX], [w for _, w in TYPE_MIX])[0]
        lead = rng.choices(range(len(APPLICANTS)), self.applicant_weights)[0]
        _, industry, region, district, english = APPLICANTS[lead]
        holders = [lead]
        if rng.random() < 0.15:
            other = rng.randrange(len(APPLICANTS))
            if other != lead:
                holders.append(other)
        applied = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        lag = 540 if digit in ("1", "8") else rng.randrange(150, 300)
        published = applied + timedelta(days=lag + rng.randrange(60))
        age = self.years[-1] - year
        if digit in ("1", "8") and age < 3 and rng.random() < 0.7:
            status = "pending"
        else:
            status = "valid" if rng.random() < max(0.35, 0.9 - age * 0.06) else "invalid"
        codes = rng.sample(IPC_BY_INDUSTRY[industry], k=rng.choice((1, 1, 2, 2, 3, 4)))
        self.publication_serial += rng.randrange(1, 50)
        self.family_serial += 1
        pct = digit in ("8", "9") or (digit == "1" and (english or lead < 6) and rng.random() < 0.12)
        return {
            "publication_number": f"CN{self.publication_serial}{KIND_CODE[digit]}",
            "application_number": self._number(year, digit),
            "title": rng.choice(TITLES[industry]) + rng.choice(("", "及其制备方法", "和系统", "及控制方法")),
            "abstract": "本发明公开了一种技术方案，" + rng.choice(["提高了效率。", "降低了成本。", "提升了安全性。"]),
            "applicants": [_variant(APPLICANTS[i][0], APPLICANTS[i][4], rng) for i in holders],
            "inventors": rng.sample(self.inventor_pool[lead], k=rng.choice((1, 2, 2, 3, 3, 4, 5, 6))),
            "application_date": applied.isoformat(),
            "publication_date": published.isoformat(),
            "ipc": codes,
            "legal_status": rng.choice(STATUS_WORDS[status]),
            "region": region,
            "pct": pct,
            "family_id": f"F{self.family_serial:09d}" if rng.random() < 0.6 else None,
            "address": ("天津市东丽区" if district else f"{region}某地") if not english else None,
        }


def records(count: int, *, seed: int = 2021, first_year: int = 2008, last_year: int = 2022) -> Iterator[dict[str, Any]]:
    """`count` records (plus about 1 % duplicated publications and a few bad numbers among them)."""
    gen = _Generator(seed, first_year, last_year)
    rng = gen.rng
    emitted = 0
    while emitted < count:
        rec = gen.record()
        roll = rng.random()
        if roll < 0.003:  # a corrupted check digit, as hand-typed data has
            body, check = rec["application_number"].split(".")
            rec["application_number"] = f"{body}.{(int(check) + 1) % 10 if check != 'X' else 0}"
        yield rec
        emitted += 1
        if roll > 0.99 and emitted < count and rec["application_number"][4] == "1":
            # the same application published again as granted (B), later
            granted = dict(rec)
            granted["publication_number"] = rec["publication_number"][:-1] + "B"
            granted_on = date.fromisoformat(rec["publication_date"]) + timedelta(days=400)
            granted["publication_date"] = granted_on.isoformat()
            granted["legal_status"] = "有效"
            yield granted
            emitted += 1
        if rec["family_id"] and rng.random() < 0.05 and emitted < count:
            # a same-day utility-model sibling of an invention (同日申请), one family
            sibling = dict(rec)
            sibling["application_number"] = gen._number(int(rec["application_date"][:4]), "2")
            sibling["publication_number"] = rec["publication_number"][:-1] + "U"
            yield sibling
            emitted += 1


def write(path: Path, count: int, *, fmt: str = "csv", seed: int = 2021) -> Path:
    """Write `count` records to `path` as CSV (lists joined by `;`) or JSON Lines (lists as arrays)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            writer = csv.writer(out)
            writer.writerow(FIELDS)
            for rec in records(count, seed=seed):
                writer.writerow(
                    [
                        ";".join(v) if isinstance(v, list) else ("true" if v is True else "false" if v is False else v)
                        for v in (rec[f] for f in FIELDS)
                    ]
                )
        else:
            for rec in records(count, seed=seed):
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path
