"""The six procurement methods with the RULES.md defaults; loaded by the demo and by deployments
(`procurement_methods_ensure`), after which administrators change them as data."""

from django.db import transaction

from procurement.models import MethodCode, ProcurementMethod

# Empty (None) means the rule does not apply to the method. Sources in procurement.models.
_TENDERING = {
    "notice_period_working_days": 5,
    "document_period_working_days": 5,
    "documents_to_deadline_days": 20,
    "clarification_min_days": 15,
    "objection_days_before_deadline": 10,
    "objection_answer_days": 3,
}
METHOD_DEFAULTS: dict[str, dict] = {
    MethodCode.OPEN_TENDER: {"name": "公开招标", **_TENDERING},
    MethodCode.INVITATION: {"name": "邀请招标", **_TENDERING},
    MethodCode.COMPETITIVE_NEGOTIATION: {
        "name": "竞争性谈判",
        "documents_to_deadline_working_days": 3,
        "clarification_min_working_days": 3,
    },
    MethodCode.COMPETITIVE_CONSULTATION: {
        "name": "竞争性磋商",
        "documents_to_deadline_days": 10,
        "document_period_working_days": 5,
        "clarification_min_days": 5,
        "min_bids_two_supplier_cases": 2,
    },
    MethodCode.ENQUIRY: {
        "name": "询价",
        "documents_to_deadline_working_days": 3,
        "clarification_min_working_days": 3,
    },
    MethodCode.SINGLE_SOURCE: {"name": "单一来源采购", "min_bids": 1, "publicity_working_days": 5},
}


@transaction.atomic
def procurement_methods_ensure() -> dict[str, ProcurementMethod]:
    """Create any missing method with its defaults; an existing method (perhaps changed by an
    administrator) is left as it is."""
    methods = {}
    for code, defaults in METHOD_DEFAULTS.items():
        methods[code], _created = ProcurementMethod.objects.get_or_create(code=code, defaults=defaults)
    return methods
