"""Wire formats of the public ledger API (docs/ledger.md describes every field byte for byte)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ledger.encoding import EncodingError, b64u_decode, b64u_encode, format_time

MAX_JSON_INTEGER = 2**53 - 1


class HashListField(serializers.ListField):
    child = serializers.CharField()

    def to_representation(self, data):
        return [b64u_encode(h) for h in data]


class EntryCheckFields(serializers.Serializer):
    """Each served entry is checked as it is served (ledger.verify.entries_checked)."""

    intact = serializers.SerializerMethodField(
        help_text="false when the stored entry no longer hashes to what the tree recorded: do not trust it."
    )
    problems = serializers.SerializerMethodField(help_text="What is wrong with it, when not intact.")

    def get_intact(self, entry) -> bool:
        return not entry.problems

    def get_problems(self, entry) -> list[str]:
        return list(entry.problems)


class EntryOutput(EntryCheckFields):
    index = serializers.IntegerField()
    kind = serializers.CharField()
    created = serializers.SerializerMethodField(
        help_text="RFC 3339 UTC with milliseconds; not part of the leaf."
    )
    leaf_input = serializers.SerializerMethodField(
        help_text="b64u of JCS(document): the exact RFC 9162 leaf input."
    )
    leaf_hash = serializers.SerializerMethodField(help_text="b64u(SHA-256(0x00 || leaf input)).")
    document = serializers.JSONField(
        help_text="The logged object: a platform-signed envelope or a user-signed object."
    )

    def get_created(self, entry) -> str:
        return format_time(entry.created)

    def get_leaf_input(self, entry) -> str:
        return b64u_encode(bytes(entry.canonical))

    def get_leaf_hash(self, entry) -> str:
        return b64u_encode(bytes(entry.leaf_hash))


ENTRY_RANGE_MAX = 1000


class EntryRangeQuery(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, max_value=MAX_JSON_INTEGER)
    end = serializers.IntegerField(
        min_value=0, max_value=MAX_JSON_INTEGER, help_text=f"exclusive; at most {ENTRY_RANGE_MAX} after start"
    )

    def validate(self, attrs):
        if not attrs["start"] <= attrs["end"] <= attrs["start"] + ENTRY_RANGE_MAX:
            raise serializers.ValidationError(
                _("Give start ≤ end ≤ start + %(max)d.") % {"max": ENTRY_RANGE_MAX}
            )
        return attrs


class EntryLeafOutput(EntryCheckFields):
    index = serializers.IntegerField()
    leaf_input = serializers.SerializerMethodField(
        help_text="b64u of JCS(document): the exact RFC 9162 leaf input (parse it yourself)."
    )

    def get_leaf_input(self, entry) -> str:
        return b64u_encode(bytes(entry.canonical))


class EntryRangeOutput(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    entries = EntryLeafOutput(many=True)


class TreeHeadPayload(serializers.Serializer):
    type = serializers.CharField(help_text='Always "ledger/tree-head".')
    size = serializers.IntegerField()
    root = serializers.CharField(help_text="b64u of the RFC 9162 root MTH(D[size]).")
    timestamp = serializers.CharField(help_text="When the platform signed it (RFC 3339 UTC, milliseconds).")


class SignedTreeHeadOutput(serializers.Serializer):
    payload = TreeHeadPayload()
    key_id = serializers.CharField(help_text="b64u(SHA-256(raw Ed25519 public key)); see /api/ledger/keys/.")
    signature = serializers.CharField(
        help_text='b64u Ed25519 signature over "SB1/platform" || 0x00 || JCS(payload).'
    )


class TreeHeadQuery(serializers.Serializer):
    size = serializers.IntegerField(required=False, min_value=0, max_value=MAX_JSON_INTEGER)


class InclusionQuery(serializers.Serializer):
    index = serializers.IntegerField(required=False, min_value=0, max_value=MAX_JSON_INTEGER)
    leaf_hash = serializers.CharField(required=False, help_text="b64u leaf hash, instead of index.")
    size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_JSON_INTEGER)

    def validate_leaf_hash(self, value: str) -> bytes:
        try:
            digest = b64u_decode(value)
        except EncodingError as exc:
            raise serializers.ValidationError(_("Not unpadded base64url.")) from exc
        if len(digest) != 32:
            raise serializers.ValidationError(_("A leaf hash has 32 bytes."))
        return digest

    def validate(self, attrs):
        if ("index" in attrs) == ("leaf_hash" in attrs):
            raise serializers.ValidationError(_("Give exactly one of index and leaf_hash."))
        return attrs


class InclusionOutput(serializers.Serializer):
    index = serializers.IntegerField()
    tree_size = serializers.IntegerField()
    leaf_hash = serializers.SerializerMethodField()
    path = HashListField(help_text="RFC 9162 PATH(index, D[tree_size]), b64u, nearest sibling first.")

    def get_leaf_hash(self, proof) -> str:
        return b64u_encode(proof.leaf_hash)


class ConsistencyQuery(serializers.Serializer):
    size1 = serializers.IntegerField(min_value=0, max_value=MAX_JSON_INTEGER)
    size2 = serializers.IntegerField(min_value=0, max_value=MAX_JSON_INTEGER)


class ConsistencyOutput(serializers.Serializer):
    size1 = serializers.IntegerField()
    size2 = serializers.IntegerField()
    proof = HashListField(help_text="RFC 9162 PROOF(size1, D[size2]), b64u; empty when size1 is 0 or size2.")


class PublicKeyOutput(serializers.Serializer):
    key_id = serializers.CharField()
    algorithm = serializers.CharField()
    public_key = serializers.CharField(help_text="b64u of the raw 32-byte Ed25519 public key.")
    created = serializers.CharField()
    retired = serializers.CharField(allow_null=True)


class PublicKeysOutput(serializers.Serializer):
    keys = PublicKeyOutput(many=True)
