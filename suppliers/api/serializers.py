from cryptography import x509
from cryptography.hazmat.primitives import serialization
from rest_framework import serializers

from suppliers.constants import CertificatePurpose, SizeClass
from suppliers.models import Certificate, Debarment, Supplier


class SupplierRegisterInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(
        max_length=32, help_text="统一社会信用代码, 18 characters (GB 32100-2015)"
    )
    legal_representative = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=300)
    size_class = serializers.ChoiceField(choices=SizeClass.choices)
    categories = serializers.ListField(child=serializers.CharField(max_length=100), allow_empty=True)
    contact_name = serializers.CharField(max_length=100)
    contact_phone = serializers.CharField(max_length=30)
    contact_email = serializers.EmailField()


class DebarmentOutput(serializers.ModelSerializer):
    class Meta:
        model = Debarment
        fields = ["starts_at", "ends_at", "reason", "legal_basis"]


class SupplierPublicOutput(serializers.ModelSerializer):
    """What anyone may read: name, credit code, status and debarments in force."""

    name = serializers.CharField(source="organisation.name")
    credit_code = serializers.CharField(source="organisation.credit_code")
    debarments = DebarmentOutput(many=True, source="debarments_in_force")

    class Meta:
        model = Supplier
        fields = ["name", "credit_code", "size_class", "verification_status", "debarments"]


class SupplierOutput(SupplierPublicOutput):
    class Meta(SupplierPublicOutput.Meta):
        fields = [
            *SupplierPublicOutput.Meta.fields,
            "legal_representative",
            "address",
            "categories",
            "contact_name",
            "contact_phone",
            "contact_email",
            "verification_reason",
            "registered_at",
        ]


class ChallengeInput(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=CertificatePurpose.choices)


class ChallengeOutput(serializers.Serializer):
    """Sign JCS({"challenge": <this object>, "key": b64u(point)}) with label "YZ/enroll" (P1363, b64u)."""

    type = serializers.CharField()
    nonce = serializers.CharField()
    username = serializers.CharField()
    purpose = serializers.CharField()
    supplier = serializers.CharField(allow_null=True)
    expires = serializers.CharField()


class EnrolInput(serializers.Serializer):
    challenge = serializers.DictField(help_text="the challenge object exactly as received")
    key = serializers.CharField(help_text="b64u of the 65-byte uncompressed P-256 public key")
    signature = serializers.CharField(help_text="b64u of the 64-byte P1363 ECDSA signature")


class CertificateOutput(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder.username")
    supplier = serializers.SerializerMethodField()
    certificate_pem = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "fingerprint",
            "serial_number",
            "purpose",
            "holder",
            "supplier",
            "public_key",
            "subject",
            "not_before",
            "not_after",
            "revoked_at",
            "revocation_reason",
            "status",
            "certificate_pem",
        ]

    def get_supplier(self, obj: Certificate) -> str | None:
        return obj.supplier.credit_code if obj.supplier else None

    def get_certificate_pem(self, obj: Certificate) -> str:
        return (
            x509.load_der_x509_certificate(bytes(obj.der)).public_bytes(serialization.Encoding.PEM).decode()
        )

    def get_status(self, obj: Certificate) -> str:
        from config import clock
        from suppliers.selectors import certificate_status

        return certificate_status(obj.fingerprint, clock.now()).state


class CertificateStatusOutput(serializers.Serializer):
    fingerprint = serializers.CharField()
    at = serializers.DateTimeField()
    status = serializers.CharField()
    revoked_at = serializers.DateTimeField(allow_null=True)


class RevokeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class ChainOutput(serializers.Serializer):
    chain_pem = serializers.CharField(help_text="issuing CA then root CA, PEM")


class CustodianAssignmentOutput(serializers.Serializer):
    """A custodian's place in a tender and what it has registered and confirmed."""

    tender = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    index = serializers.IntegerField()
    threshold = serializers.IntegerField()
    custodian_count = serializers.IntegerField()
    registration = serializers.DictField(
        allow_null=True, help_text='{"registration","pop","signature"} or null'
    )
    confirmation_to_sign = serializers.DictField(
        allow_null=True,
        help_text="the confirmation object to sign with label SB1/confirm (null until every "
        "custodian registered a key); `signer` is filled with the caller's certificate",
    )
    confirmed = serializers.BooleanField()
    replaced = serializers.ListField(
        child=serializers.DictField(),
        help_text="the custodian's earlier keys for this tender, replaced before publication: "
        '[{"key_id","replaced_by","replaced_at"}...], oldest first',
    )
    replaceable = serializers.BooleanField(
        help_text="whether the key may still be registered or replaced (the tender is not yet published)"
    )


class OpeningKeyInput(serializers.Serializer):
    registration = serializers.DictField()
    pop = serializers.CharField()
    signature = serializers.CharField()


class OpeningKeyReplaceInput(OpeningKeyInput):
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="kept on record, not published",
    )


class ConfirmationInput(serializers.Serializer):
    confirmation = serializers.DictField()
    signature = serializers.CharField()
