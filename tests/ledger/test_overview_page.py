"""The public ledger page names each entry's kind in the reader's language, with the kind string
itself beside it for verifiers; a kind without a name shows its code."""

import pytest
from django.db import transaction
from django.test import Client

from ledger.services import ledger_append

pytestmark = pytest.mark.django_db


def test_entry_kinds_are_shown_by_name_with_their_code():
    with transaction.atomic():
        ledger_append(kind="suppliers/verification", payload={"supplier": "913100000000000001"})
        ledger_append(kind="approvals/approved", payload={"approval": 1, "seq": 1})
        ledger_append(kind="unnamed/kind", payload={"n": 1})
    page = Client().get("/ledger/").content.decode()
    assert "供应商核验决定" in page and '<code class="govuk-body-s">suppliers/verification</code>' in page
    assert "审批环节" in page
    assert "unnamed/kind" in page
