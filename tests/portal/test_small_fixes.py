"""The small things of issue #20: statistics in words, every department in the filter, a favicon,
a README that counts the catalogue right."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from portal.constants import EnquiryKind
from portal.models import Service

pytestmark = pytest.mark.django_db


def test_statistics_name_the_kind_of_enquiry_not_its_stored_value(client, demo):
    from django.contrib.auth.models import AnonymousUser

    from portal import services

    services.enquiry_submit(
        user=AnonymousUser(),
        kind=EnquiryKind.COMPLAINT,
        department=Service.objects.get(code="marriage-registration").department,
        service=None,
        subject="窗口排队太久",
        body="上午排队两个小时。",
        name="张三",
        contact="13800138000",
    )
    page = client.get(reverse("portal:statistics"), follow=True).content.decode()  # moved to reports
    assert ">complaint<" not in page
    assert ">投诉<" in page


def test_every_department_running_a_service_is_in_the_catalogue_filter(client, demo):
    page = client.get(reverse("portal:catalogue")).content.decode()
    select = page.split('id="department"')[1].split("</select>")[0]
    owners = {
        s.department.name for s in Service.objects.filter(is_published=True).select_related("department")
    }
    assert "上海市教育局" in owners
    for name in owners:
        assert name in select, name


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_readme_counts_the_demo_catalogue_right(demo):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    counted = int(re.search(r"(\d+) government services", readme).group(1))
    assert counted == Service.objects.count()
