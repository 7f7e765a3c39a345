"""Demo after the award (called at the end of `awards.demo.load`): the announced demo tender goes on
to a signed contract with its notice published and the losers' bid securities returned, and a
supplier's challenge of the documents of an open tender waits for the buyer's answer, so `make run`
shows a contract notice on a tender's page and a challenge clock on both parties' pages.
Loading twice changes nothing."""

from accounts.demo import Demo
from awards.constants import AwardStatus
from awards.models import AwardDecision, BidSecurityRelease, Challenge, Contract
from awards.remedy_constants import ChallengeSubject, ContractStatus
from awards.services.challenges import challenge_file
from awards.services.contracts import contract_create, contract_notice_publish, contract_sign
from awards.services.securities import bid_security_release
from config import clock
from tenders.constants import TenderStatus
from tenders.models import DocumentHolder, Tender

CHALLENGED_TITLE = "上海市第一中学智慧教室交互式黑板采购项目"  # published by tenders/demo.py, open for bids
# A one-page PDF standing in for the scanned, signed contract.
CONTRACT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _contract(demo: Demo, decision: AwardDecision) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = demo.users["officer"]
    contract = Contract.objects.filter(award=decision).first()
    if contract is None:
        contract = contract_create(
            award_id=decision.pk,
            by=officer,
            title="闵行区实验小学录播教室设备采购合同",
            amount=decision.amount,
            main_items="录播主机1台、跟踪摄像机4台、阵列拾音设备6套，含安装调试与培训",
        )
    if contract.status == ContractStatus.DRAFT:
        contract = contract_sign(
            contract_id=contract.pk,
            by=officer,
            signed_on=clock.today_local(),
            document=SimpleUploadedFile("contract.pdf", CONTRACT_PDF, content_type="application/pdf"),
        )
    if contract.status == ContractStatus.SIGNED:
        contract_notice_publish(contract_id=contract.pk, by=officer)
    for release in BidSecurityRelease.objects.filter(tender=decision.tender, released_on__isnull=True):
        bid_security_release(release_id=release.pk, by=officer)


def _challenge(demo: Demo) -> None:
    tender = Tender.objects.filter(title=CHALLENGED_TITLE, status=TenderStatus.PUBLISHED).first()
    if tender is None or Challenge.objects.filter(tender=tender).exists():
        return
    challenger = demo.users["supplier2"]
    DocumentHolder.objects.get_or_create(tender=tender, user=challenger)
    challenge_file(
        tender_id=tender.pk,
        by=challenger,
        subject=ChallengeSubject.DOCUMENTS,
        known_on=clock.today_local(),
        reasons="招标文件技术参数第3.2条要求的屏幕尺寸与接口组合仅一个品牌能够满足，具有倾向性，请予修改。",
    )


def load(demo: Demo) -> None:
    decision = (
        AwardDecision.objects.filter(status=AwardStatus.ANNOUNCED, tender__status=TenderStatus.AWARDED)
        .select_related("tender")
        .order_by("pk")
        .first()
    )
    if decision is not None:
        _contract(demo, decision)
    _challenge(demo)
