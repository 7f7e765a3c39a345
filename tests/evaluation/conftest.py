import hashlib
from importlib import import_module
from importlib.util import find_spec
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# The demo loaders these tests need: people, suppliers, methods, tenders and their keys. The portal's
# demo signs a PDF whose CJK font subsetting takes a minute on a shared machine; it is not needed here.
DEMO_APPS = ("accounts", "ledger", "workdays", "approvals", "suppliers", "procurement", "tenders", "bidding")


@pytest.fixture
def demo(db):
    """The demo data (the apps above), loaded with the clock pinned: no dependence on today's date."""
    from accounts.demo import Demo

    demo = Demo()
    with time_machine.travel("2026-10-08 10:00 +0800", tick=False):
        for app in settings.LOCAL_APPS:
            if app in DEMO_APPS and find_spec(f"{app}.demo"):
                import_module(f"{app}.demo").load(demo)
    return demo


def _quick_pdf(template_name, context):
    """The template is rendered (so its errors show), the PDF made from an ASCII digest of it: signing,
    storage and the ledger entry stay real, without a minute of CJK font subsetting per document.
    The real rendering of each template is checked where the template is tested."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=f"<p>{template_name} {hashlib.sha256(html.encode()).hexdigest()}</p>").write_pdf()


@pytest.fixture(autouse=True)
def _quick_pdfs():
    with mock.patch("reports.services.render_pdf", _quick_pdf):
        yield


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield
