"""Input and output shapes of the tenders API."""

from rest_framework import serializers

from accounts.models import Organisation, User
from config.uploads import TENDER_DOCUMENTS, upload_validator
from procurement.models import ProcurementMethod
from tenders.constants import AnnouncementKind
from tenders.models import Announcement, Criterion, Custodian, DocumentVersion, Lot, Question, Tender
from tenders.services import DRAFT_FIELDS


class LotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lot
        fields = ["number", "title", "description", "budget"]
        read_only_fields = ["number"]


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "is_price"]


class CustodianOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__")

    class Meta:
        model = Custodian
        fields = ["index", "user", "name"]


class DocumentVersionOutput(serializers.ModelSerializer):
    title = serializers.CharField(source="document.title")

    class Meta:
        model = DocumentVersion
        fields = ["id", "title", "number", "filename", "size", "sha256", "uploaded_at"]


class AnnouncementOutput(serializers.ModelSerializer):
    class Meta:
        model = Announcement
        fields = [
            "sequence",
            "kind",
            "title",
            "body",
            "published_at",
            "payload",
            "payload_sha256",
            "ledger_index",
            "old_deadline",
            "new_deadline",
        ]


class NoticeSummary(serializers.ModelSerializer):
    method = serializers.SlugRelatedField(slug_field="code", read_only=True)
    buyer = serializers.CharField(source="buyer.name")
    phase = serializers.CharField(source="public_phase")

    class Meta:
        model = Tender
        fields = [
            "reference",
            "title",
            "method",
            "buyer",
            "category_code",
            "region",
            "budget",
            "max_price",
            "status",
            "phase",
            "published_at",
            "bid_deadline",
        ]


class NoticeDetail(NoticeSummary):
    agency = serializers.CharField(source="agency.name", default=None)
    lots = LotSerializer(many=True)
    criteria = CriterionSerializer(many=True)
    custodians = CustodianOutput(many=True)
    documents = serializers.SerializerMethodField()
    announcements = AnnouncementOutput(many=True)

    class Meta(NoticeSummary.Meta):
        fields = NoticeSummary.Meta.fields + [
            "agency",
            "description",
            "qualification_requirements",
            "procurement_kind",
            "evaluation_method",
            "readout_fields",
            "required_documents",
            "bid_security",
            "document_instructions",
            "document_start",
            "document_end",
            "question_deadline",
            "opening_place",
            "share_window_s",
            "threshold_k",
            "contact_name",
            "contact_phone",
            "rule_set",
            "lots",
            "criteria",
            "custodians",
            "documents",
            "announcements",
        ]

    def get_documents(self, tender) -> list[dict]:
        versions = DocumentVersion.objects.filter(document__tender=tender).select_related("document")
        return DocumentVersionOutput(versions, many=True).data


class TenderOutput(NoticeDetail):
    """The officers' view: the public fields plus where it stands."""

    class Meta(NoticeDetail.Meta):
        fields = ["id", *NoticeDetail.Meta.fields, "return_reason", "submitted_at"]


class TenderInput(serializers.Serializer):
    buyer = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False)
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    method = serializers.SlugRelatedField(
        slug_field="code", queryset=ProcurementMethod.objects.all(), required=False
    )
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    procurement_kind = serializers.CharField(required=False)
    category_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    region = serializers.CharField(required=False, allow_blank=True, max_length=12)
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    max_price = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    qualification_requirements = serializers.CharField(required=False, allow_blank=True)
    evaluation_method = serializers.CharField(required=False)
    readout_fields = serializers.ListField(child=serializers.CharField(max_length=32), required=False)
    required_documents = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    bid_security = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    document_instructions = serializers.CharField(required=False, allow_blank=True)
    document_start = serializers.DateTimeField(required=False, allow_null=True)
    document_end = serializers.DateTimeField(required=False, allow_null=True)
    question_deadline = serializers.DateTimeField(required=False, allow_null=True)
    bid_deadline = serializers.DateTimeField(required=False, allow_null=True)
    opening_place = serializers.CharField(required=False, allow_blank=True)
    share_window_s = serializers.IntegerField(required=False, min_value=1)
    threshold_k = serializers.IntegerField(required=False, min_value=1)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)

    def fields_for_service(self) -> dict:
        return {k: v for k, v in self.validated_data.items() if k in DRAFT_FIELDS}


class LotsInput(serializers.Serializer):
    lots = LotSerializer(many=True)


class CriteriaInput(serializers.Serializer):
    criteria = CriterionSerializer(many=True)


class CustodiansInput(serializers.Serializer):
    users = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), many=True, help_text="Custodians in order: the first gets index 1."
    )


class DocumentInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(validators=[upload_validator(TENDER_DOCUMENTS)])
    document = serializers.IntegerField(
        required=False, help_text="A document of the draft to add a version to."
    )


class ProblemOutput(serializers.Serializer):
    rule = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField()


class AmendmentInput(serializers.Serializer):
    summary = serializers.CharField()
    bid_deadline = serializers.DateTimeField(required=False, allow_null=True)
    description = serializers.CharField(required=False)
    qualification_requirements = serializers.CharField(required=False)


class CancelInput(serializers.Serializer):
    reason = serializers.CharField()


class QuestionInput(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=8000)


class QuestionOutput(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "text", "asked_at", "answer", "answered_at", "clarification"]


class NoticePage(serializers.Serializer):
    """One page of notices, as the paginator answers (the schema once said a bare list)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = NoticeSummary(many=True)
    closest = serializers.BooleanField(
        help_text="true when nothing held the query as typed and `results` are the closest notices, ranked"
    )
    suggestion = serializers.CharField(allow_null=True, help_text='"did you mean": a nearby query, or null')


class SubscriptionInput(serializers.Serializer):
    email = serializers.EmailField()
    category_prefix = serializers.CharField(required=False, allow_blank=True, max_length=32, default="")
    region_prefix = serializers.CharField(required=False, allow_blank=True, max_length=12, default="")


class SubscriptionOutput(SubscriptionInput):
    confirmed = serializers.SerializerMethodField()

    def get_confirmed(self, subscription) -> bool:
        return subscription.confirmed_at is not None


class NoticeQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    method = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(required=False, allow_blank=True)
    category = serializers.CharField(required=False, allow_blank=True)
    phase = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=AnnouncementKind.choices, required=False, allow_blank=True)
    budget_min = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    budget_max = serializers.DecimalField(max_digits=16, decimal_places=2, required=False)
    published_from = serializers.DateField(required=False)
    published_to = serializers.DateField(required=False)
    deadline_from = serializers.DateField(required=False)
    deadline_to = serializers.DateField(required=False)
    sort = serializers.ChoiceField(
        choices=["newest", "deadline", "budget_desc", "budget_asc"], required=False
    )
