"""Shapes of the sealed-bid API. Manifests travel as b64u of their exact bytes (the server must see
the bytes the bidder signed, to refuse any that are not canonical JSON)."""

from rest_framework import serializers


class UploadOpenInput(serializers.Serializer):
    tender = serializers.CharField(max_length=64)
    lot = serializers.CharField(max_length=64, allow_null=True, required=False, default=None)
    bid = serializers.CharField(max_length=36, help_text="lowercase UUIDv4 chosen by the client")
    file_sizes = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        allow_empty=False,
        help_text="plaintext bytes of file 0 (the padded form), then each attachment",
    )


class UploadOutput(serializers.Serializer):
    tender = serializers.CharField(source="tender.reference")
    lot = serializers.CharField(allow_null=True)
    bid = serializers.CharField()
    file_sizes = serializers.ListField(child=serializers.IntegerField())
    chunk_lengths = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    present = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="[file, chunk] pairs the server holds",
    )
    finalized = serializers.BooleanField()
    receipt = serializers.DictField(allow_null=True)


class ChunkOutput(serializers.Serializer):
    file = serializers.IntegerField(source="file_index")
    index = serializers.IntegerField()
    length = serializers.IntegerField()
    sha256 = serializers.CharField()


class FinalizeInput(serializers.Serializer):
    manifest = serializers.CharField(help_text="b64u of the manifest's exact bytes (JCS)")
    signature = serializers.CharField(help_text="b64u of the 64-byte P1363 signature, label SB1/manifest")


class ReceiptOutput(serializers.Serializer):
    receipt = serializers.DictField(help_text='{"payload", "key_id", "signature"}')
    receipt_sha256 = serializers.CharField()


class WithdrawalInput(serializers.Serializer):
    statement = serializers.DictField()
    signature = serializers.CharField()


class ReceiptVerifyInput(serializers.Serializer):
    receipt = serializers.DictField()


class ReceiptCheckOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    kind = serializers.CharField()
    sealed = serializers.BooleanField()
    in_ledger = serializers.BooleanField(allow_null=True)
    ledger_index = serializers.IntegerField(allow_null=True)
    counting = serializers.BooleanField(allow_null=True)
    findings = serializers.ListField(child=serializers.CharField())
    ledger_proof = serializers.DictField(allow_null=True)
    membership = serializers.DictField(allow_null=True)
    seal_ledger_index = serializers.IntegerField(allow_null=True)


class TenderSealingOutput(serializers.Serializer):
    tender = serializers.CharField()
    title = serializers.CharField()
    lots = serializers.ListField(child=serializers.DictField())
    readout = serializers.ListField(child=serializers.CharField())
    readout_items = serializers.ListField(
        child=serializers.DictField(),
        help_text="each read-out item: name, label, label_en, type, unit, unit_en, choices, pattern (tenders/readout.py)",
    )
    deadline = serializers.CharField()
    server_time = serializers.CharField()
    open = serializers.BooleanField()
    max_bytes = serializers.IntegerField()
    max_files = serializers.IntegerField()
    notice = serializers.DictField(help_text="the platform-signed SB1 notice as logged")
    notice_ledger_index = serializers.IntegerField()


class MyBidsOutput(serializers.Serializer):
    tender = serializers.CharField()
    sealed = serializers.BooleanField()
    versions = serializers.ListField(child=serializers.DictField())
    unfinalized = serializers.ListField(child=serializers.DictField())
    seal = serializers.DictField(allow_null=True)


class SealOutput(serializers.Serializer):
    seal = serializers.DictField()
    ledger_proof = serializers.DictField()
