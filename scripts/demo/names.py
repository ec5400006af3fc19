"""Real-looking identifiers and Chinese names for generated enterprises, banks and agencies.

- Unified social credit codes (GB 32100-2015): authority 9 (market regulation), kind 1 (enterprise),
  division 120110 (Dongli district, Tianjin), a 9-character organisation code whose own last
  character is its GB 11714 check character, then the GB 32100 check character (python-stdnum).
- Patent application numbers: `ipops.identifiers.make_patent_number` (12 digits, check digit).
- Names: a Tianjin company name is place + trade name + industry word + form; trade names are
  drawn from a list of two-character words without repetition, so every firm's name is unique.
"""

from __future__ import annotations

import itertools

from stdnum.cn import uscc

from ipops.identifiers import make_patent_number

DONGLI = "120110"
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

TRADE_WORDS = (
    "华明",
    "金桥",
    "津东",
    "瑞丰",
    "恒信",
    "海河",
    "新立",
    "军粮",
    "万新",
    "丰年",
    "金钟",
    "无瑕",
    "张贵",
    "东丽",
    "宏达",
    "鑫源",
    "博远",
    "科润",
    "汇通",
    "安泰",
    "盛世",
    "中诚",
    "天工",
    "启航",
    "睿智",
    "华信",
    "长城",
    "渤海",
    "北辰",
    "聚能",
    "智联",
    "众合",
    "凯达",
    "永固",
    "同创",
    "正阳",
    "明德",
    "康宁",
    "腾飞",
    "信诺",
    "嘉禾",
    "泰和",
)
INDUSTRY_WORDS = {
    "nev_icv": ("新能源汽车", "智能网联", "动力电池", "汽车电子"),
    "biomedicine": ("生物医药", "医疗器械", "生物科技", "制药"),
    "new_materials": ("新材料", "复合材料", "高分子材料", "功能膜材料"),
    "high_end_equipment": ("智能装备", "精密机械", "自动化设备", "机器人"),
    "modern_metallurgy": ("特钢", "金属制品", "冶金科技", "合金材料"),
}
INDUSTRY_ZH = {
    "nev_icv": "新能源汽车与智能网联汽车",
    "biomedicine": "生物医药",
    "new_materials": "新材料",
    "high_end_equipment": "高端装备制造",
    "modern_metallurgy": "现代冶金",
}
FORMS = ("有限公司", "科技有限公司", "股份有限公司", "技术有限公司")

BANKS = (
    ("boc-dongli", "中国银行天津东丽支行"),
    ("icbc-dongli", "中国工商银行天津东丽支行"),
    ("ccb-dongli", "中国建设银行天津东丽支行"),
    ("bohai-dongli", "渤海银行天津东丽支行"),
    ("tjbank-dongli", "天津银行东丽支行"),
    ("abc-dongli", "中国农业银行天津东丽支行"),
)
AGENCIES = (
    ("huaming-ip", "天津华明知识产权服务有限公司"),
    ("jinqiao-ip", "天津金桥知识产权代理有限公司"),
    ("haihe-ip", "天津海河专利事务所有限公司"),
    ("dongjiang-ip", "天津东疆知识产权运营有限公司"),
    ("ruide-ip", "天津瑞德知识产权咨询有限公司"),
    ("zhonghuan-ip", "天津中环知识产权运营中心有限公司"),
    ("bohai-ip", "天津渤海知识产权评估有限公司"),
)
INSURERS = (
    "中国人民财产保险股份有限公司天津市分公司",
    "中国平安财产保险股份有限公司天津分公司",
    "太平财产保险有限公司天津分公司",
)
VALUERS = ("天津中联资产评估有限责任公司", "天津华夏金信资产评估有限公司")
GUARANTORS = ("天津东丽融资担保有限公司", "天津市中小企业信用融资担保中心")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "志强",
    "海燕",
)


def org_check(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation code body."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    rest = 11 - total % 11
    return "X" if rest == 10 else "0" if rest == 11 else str(rest)


def credit_code(serial: int, *, authority: str = "91", division: str = DONGLI) -> str:
    """A valid unified social credit code (of Dongli by default) for the `serial`-th generated organisation."""
    body = f"{(serial * 7919 + 10_000_000) % 100_000_000:08d}"
    head = f"{authority}{division}{body}{org_check(body)}"
    return head + uscc.calc_check_digit(head)


def patent_number(year: int, type_digit: str, serial: int) -> str:
    """A valid application number filed in `year` of the given type (1 invention, 2 utility, 8 PCT)."""
    return make_patent_number(year, type_digit, 600_000 + serial % 4_000_000)


def trademark_number(serial: int) -> str:
    """A trademark registration number (digits)."""
    return str(30_000_000 + serial * 37 % 9_000_000)


def _trade_names() -> list[str]:
    return [a + b for a, b in itertools.permutations(TRADE_WORDS, 2)]


TRADE_NAMES = _trade_names()


def company_name(serial: int, industry: str) -> str:
    """天津<trade name><industry word><form>, unique per serial."""
    trade = TRADE_NAMES[(serial * 211) % len(TRADE_NAMES)] if serial < len(TRADE_NAMES) else f"{serial}"
    words = INDUSTRY_WORDS[industry]
    return f"天津{trade}{words[serial % len(words)]}{FORMS[serial % len(FORMS)]}"


def person(serial: int) -> str:
    """A Chinese personal name."""
    return SURNAMES[serial % len(SURNAMES)] + GIVEN[(serial // len(SURNAMES)) % len(GIVEN)]
