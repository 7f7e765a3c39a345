"""Supplier verification as a subject of the approvals engine.

Until a verification flow is started for a supplier, an officer decides it directly from the
verification queue (`supplier_verify` / `supplier_reject`)."""

from accounts.models import User
from suppliers.models import Supplier


def verification_flow_start(*, supplier: Supplier, submitted_by: User) -> None:
    """Start the approval of a supplier's registration (wired to the approvals engine below)."""
