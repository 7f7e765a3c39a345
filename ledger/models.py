"""The public ledger's tables: entries (the leaves), stored perfect-subtree hashes (so a proof
reads O(log n) rows), the single head row appends lock on, signed tree heads, and the platform's
public keys (every key that ever signed stays here, so old signatures stay checkable)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformKey(models.Model):
    """A platform Ed25519 public key; `key_id` = b64u(SHA-256(raw 32-byte public key))."""

    key_id = models.CharField(_("key id"), max_length=43, primary_key=True)
    public_key = models.BinaryField(_("public key"))
    created = models.DateTimeField(_("first used"))
    retired = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["created"]
        verbose_name = _("platform key")
        verbose_name_plural = _("platform keys")

    def __str__(self) -> str:
        return self.key_id


class LedgerHead(models.Model):
    """The one row (pk=1) every append locks: the tree size and its right edge ("frontier"),
    the hashes of the perfect subtrees that make up the tree, largest first, concatenated."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.PositiveBigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("ledger head")

    def __str__(self) -> str:
        return f"ledger head at size {self.size}"


class LedgerEntry(models.Model):
    """One leaf. `document` is the logged object (a platform-signed envelope or a user-signed
    object); `canonical` = JCS(document) is the leaf input and the authority; `document` is its
    parsed form for querying. `kind` and `created` are index metadata outside the hash."""

    index = models.PositiveBigIntegerField(_("index"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    document = models.JSONField(_("document"))
    canonical = models.BinaryField(_("leaf input"))
    leaf_hash = models.BinaryField(_("leaf hash"), max_length=32, db_index=True)
    created = models.DateTimeField(_("appended at"))

    class Meta:
        ordering = ["index"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"#{self.index} {self.kind}"


class LedgerNode(models.Model):
    """The hash of the complete perfect subtree of 2^level leaves starting at leaf
    position·2^level. Level 0 holds the leaf hashes. Written once, when its last leaf arrives."""

    level = models.PositiveSmallIntegerField()
    position = models.PositiveBigIntegerField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "position"], name="ledger_node_unique")]
        verbose_name = _("ledger node")

    def __str__(self) -> str:
        return f"node {self.level}/{self.position}"


class TreeHead(models.Model):
    """A signed tree head, kept once per size: the envelope
    {"payload":{"type":"ledger/tree-head","size","root","timestamp"},"key_id","signature"}."""

    size = models.PositiveBigIntegerField(_("size"), unique=True)
    root = models.BinaryField(_("root"), max_length=32)
    signed = models.JSONField(_("signed tree head"))
    created = models.DateTimeField(_("signed at"))

    class Meta:
        ordering = ["-size"]
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")

    def __str__(self) -> str:
        return f"STH {self.size}"
