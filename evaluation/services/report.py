"""The evaluation report (MOF87 Art 61): ranked candidates, every member's scores per criterion,
the reasons for every bid that did not pass, dissents, the committee; a PDF signed by the platform
through `reports`, its SHA-256 in the ledger; the tender then awaits the award decision."""

from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bidding.ceremony_constants import BidOpeningState
from bidding.selectors.opened import bid_openings
from config import clock
from config.exceptions import NotFound
from evaluation.constants import MemberState
from evaluation.exceptions import EvaluationError
from evaluation.models import CommitteeMember, ComplianceFinding, Dissent, EvaluationReport, Score
from evaluation.results import evaluation_results, scores_complete
from evaluation.selectors import workspace_access
from ledger.encoding import format_time
from ledger.services import ledger_append
from reports.services import signed_document_issue
from tenders.constants import TenderStatus
from tenders.models import Tender
from tenders.services import tender_evaluation_report


def report_context(tender: Tender) -> dict[str, Any]:
    members = list(
        CommitteeMember.objects.filter(tender=tender, state=MemberState.CONFIRMED).select_related(
            "user", "expert"
        )
    )
    criteria = list(tender.criteria.filter(is_price=False).order_by("position"))
    results = evaluation_results(tender)
    scores = {
        (s.member_id, s.opening_id, s.criterion_id): s.points
        for s in Score.objects.filter(member__in=members)
    }
    for row in results:
        row["by_member"] = [
            (m, [scores.get((m.pk, row["opening"].pk, c.pk)) for c in criteria]) for m in members
        ]
    invalid = []
    for opening in bid_openings(tender_id=tender.pk):
        reasons = []
        if opening.state == BidOpeningState.FAILED:
            reasons.append(gettext("Could not be opened: %(code)s") % {"code": opening.reason})
        result = next((r for r in results if r["opening"].pk == opening.pk), None)
        if result is not None and result["above_max_price"]:
            reasons.append(gettext("Above the maximum price (%(max)s CNY)") % {"max": tender.max_price})
        if result is not None and not result["passed"]:
            reasons += [
                f"{f.member.user.full_name or f.member.user.username}: {f.reason}"
                for f in ComplianceFinding.objects.filter(opening=opening, compliant=False).select_related(
                    "member__user"
                )
            ]
        if reasons:
            invalid.append({"supplier": opening.supplier.organisation.name, "reasons": reasons})
    return {
        "tender": tender,
        "members": members,
        "criteria": criteria,
        "results": results,
        "invalid": invalid,
        "dissents": list(
            Dissent.objects.filter(member__tender=tender).select_related(
                "member__user", "opening__supplier__organisation"
            )
        ),
    }


def evaluation_report_issue(*, tender_id: int, user: User) -> EvaluationReport:
    """Issue the signed report. Idempotent per tender.

    Before: `user` is a confirmed member; every member has submitted scores. After: the signed PDF,
    its SHA-256 in the ledger ("yizhan/evaluation-report", no personal data), the tender awaiting the
    award decision (members' names are published with the report)."""
    with transaction.atomic():
        tender = Tender.objects.select_for_update().filter(pk=tender_id).first()
        if tender is None:
            raise NotFound()
        access = workspace_access(tender=tender, user=user)
        existing = EvaluationReport.objects.filter(tender=tender).first()
        if existing is not None:
            return existing
        if access.member is None or tender.status != TenderStatus.EVALUATION:
            raise EvaluationError(
                _("Only a member of the committee issues its report, during the evaluation.")
            )
        if not scores_complete(tender):
            raise EvaluationError(_("The report is issued once every member has submitted their scores."))
        with translation.override("zh-hans"):
            context = report_context(tender)
            title = gettext("Evaluation report of %(ref)s") % {"ref": tender.reference}
        document = signed_document_issue(
            kind="evaluation_report",
            title=title,
            template_name="evaluation/report.html",
            context=context,
            subject_ref=f"tenders.tender:{tender.reference}",
            filename=f"evaluation-report-{tender.reference}.pdf",
        )
        entry = ledger_append(
            kind="yizhan/evaluation-report",
            payload={
                "tender": tender.reference,
                "sha256": document.sha256,
                # No document token: the report is private, and the public ledger holds nothing that
                # leads to a private record (docs/ledger.md); the hash alone proves the copy a reader holds.
                "issued_at": format_time(document.issued_at),
            },
        )
        report = EvaluationReport.objects.create(
            tender=tender, document=document, ledger_index=entry.index, issued_by=user, issued_at=clock.now()
        )
        tender_evaluation_report(tender_id=tender.pk, by=user)
    return report
