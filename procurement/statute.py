"""What the statute says about each rule of each procurement method (RULES.md): the article that
carries the rule, in English and Chinese, and the statutory bound an administrator may tighten but
never pass (a floor for periods and minimum counts, a ceiling for percentages and answer limits).

This is law, not configuration: it lives in code. The numbers an administrator chooses live in
`ProcurementMethod`; a tender's rule-set snapshot carries these articles with the numbers, so its
messages cite the article of its own method even if the table changes later."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language

from procurement.constants import MethodCode


def language_is_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


@dataclass(frozen=True)
class Article:
    en: str
    zh: str

    def text(self) -> str:
        """The citation in the active language."""
        return self.zh if language_is_chinese() else self.en


@dataclass(frozen=True)
class Statute:
    """`bound` is the statutory minimum (`floor=True`) or maximum; `required` means the rule must be
    set for this method (an empty period would switch off a statutory rule)."""

    article: Article
    bound: Decimal | int | None = None
    floor: bool = True
    required: bool = False


GPL_27 = Article("GPL Arts 27–28", "政府采购法第二十七条、第二十八条")
GPL_35 = Article("BL Art 24, GPL Art 35", "招标投标法第二十四条、政府采购法第三十五条")
MOF87_16 = Article("MOF87 Art 16", "财政部87号令第十六条")
GPLR_31 = Article("GPLR Art 31", "政府采购法实施条例第三十一条")
BLR_16 = Article("BLR Art 16", "招标投标法实施条例第十六条")
BL_23 = Article(
    "BL Art 23, BLR Art 21, GPLR Art 31",
    "招标投标法第二十三条、招标投标法实施条例第二十一条、政府采购法实施条例第三十一条",
)
BLR_22 = Article("BLR Art 22", "招标投标法实施条例第二十二条")
BLR_44 = Article("BLR Art 44, MOF87 Art 41", "招标投标法实施条例第四十四条、财政部87号令第四十一条")
SECURITY = Article("BLR Art 26, GPLR Art 33", "招标投标法实施条例第二十六条、政府采购法实施条例第三十三条")
PERFORMANCE = Article("BLR Art 58, GPLR Art 48", "招标投标法实施条例第五十八条、政府采购法实施条例第四十八条")
PRICE_WEIGHT = Article("MOF87 Art 55", "财政部87号令第五十五条")
GPLR_52 = Article("GPLR Art 52", "政府采购法实施条例第五十二条")
CONSULTATION_10 = Article("consultation measures Art 10", "竞争性磋商办法第十条")
CONSULTATION_MIN = Article(
    "consultation measures Art 21, Caiku [2015] No. 124", "竞争性磋商办法第二十一条、财库〔2015〕124号"
)
MOF74_10 = Article("MOF74 Art 10", "财政部74号令第十条")
MOF74_12 = Article("MOF74 Art 12", "财政部74号令第十二条")
MOF74_29 = Article("MOF74 Art 29", "财政部74号令第二十九条")
MOF74_45 = Article("MOF74 Art 45", "财政部74号令第四十五条")
SINGLE_SOURCE_PUBLICITY = Article("GPLR Art 38, MOF74 Art 38", "政府采购法实施条例第三十八条、财政部74号令第三十八条")
SINGLE_SOURCE_MIN = Article("GPL Art 31, MOF74 Art 38", "政府采购法第三十一条、财政部74号令第三十八条")

# Rules every method shares (money, scoring, questions).
_COMMON: dict[str, Statute] = {
    "bid_security_max_percent": Statute(SECURITY, Decimal(2), floor=False),
    "performance_security_max_percent": Statute(PERFORMANCE, Decimal(10), floor=False),
    "price_weight_min_goods_percent": Statute(PRICE_WEIGHT, Decimal(30)),
    "price_weight_min_services_percent": Statute(PRICE_WEIGHT, Decimal(10)),
    "enquiry_answer_working_days": Statute(GPLR_52, 3, floor=False),
}
_TENDERING: dict[str, Statute] = {
    **_COMMON,
    "notice_period_working_days": Statute(MOF87_16, 5, required=True),
    "document_period_working_days": Statute(GPLR_31, 5, required=True),
    "document_period_days": Statute(BLR_16, 5),
    "documents_to_deadline_days": Statute(GPL_35, 20, required=True),
    "clarification_min_days": Statute(BL_23, 15, required=True),
    "objection_days_before_deadline": Statute(BLR_22),
    "objection_answer_days": Statute(BLR_22, 3, floor=False),
    "min_bids": Statute(BLR_44, 3, required=True),
}
STATUTE: dict[str, dict[str, Statute]] = {
    MethodCode.OPEN_TENDER: _TENDERING,
    MethodCode.INVITATION: _TENDERING,
    MethodCode.COMPETITIVE_NEGOTIATION: {
        **_COMMON,
        "documents_to_deadline_working_days": Statute(MOF74_29, 3, required=True),
        "clarification_min_working_days": Statute(MOF74_10, 3, required=True),
        "min_bids": Statute(MOF74_12, 3, required=True),
    },
    MethodCode.ENQUIRY: {
        **_COMMON,
        "documents_to_deadline_working_days": Statute(MOF74_45, 3, required=True),
        "clarification_min_working_days": Statute(MOF74_10, 3, required=True),
        "min_bids": Statute(MOF74_12, 3, required=True),
    },
    MethodCode.COMPETITIVE_CONSULTATION: {
        **_COMMON,
        "documents_to_deadline_days": Statute(CONSULTATION_10, 10, required=True),
        "document_period_working_days": Statute(CONSULTATION_10, 5, required=True),
        "clarification_min_days": Statute(CONSULTATION_10, 5, required=True),
        "min_bids": Statute(CONSULTATION_MIN, 3, required=True),
        "min_bids_two_supplier_cases": Statute(CONSULTATION_MIN, 2),
    },
    MethodCode.SINGLE_SOURCE: {
        **_COMMON,
        "min_bids": Statute(SINGLE_SOURCE_MIN, 1, required=True),
        "publicity_working_days": Statute(SINGLE_SOURCE_PUBLICITY, 5, required=True),
    },
}


def statute_for(method_code: str) -> dict[str, Statute]:
    return STATUTE.get(method_code, _COMMON)


def articles_for(method_code: str) -> dict[str, dict[str, str]]:
    """The articles as plain JSON data, for a tender's rule-set snapshot."""
    return {field: {"en": s.article.en, "zh": s.article.zh} for field, s in statute_for(method_code).items()}


def article_text(rules: dict, field: str) -> str:
    """The article a tender's rule-set snapshot cites for `field`, in the active language; a
    snapshot taken before articles were recorded falls back to the statute table of its method."""
    cited = (rules.get("articles") or {}).get(field)
    if cited:
        return cited["zh"] if language_is_chinese() else cited["en"]
    statute = statute_for(rules.get("method", "")).get(field)
    return statute.article.text() if statute else ""
