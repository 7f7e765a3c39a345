"""The audit log: changes, sensitive reads and sign-ins with operator and network address; the
supervisor searches it."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD
from accounts.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_change_is_recorded_with_operator_and_address(demo_people):
    officer = Client(REMOTE_ADDR="10.3.3.3")
    officer.force_login(demo_people.users["officer"])
    officer.post(reverse("set_language"), {"language": "en", "next": "/"})
    entry = AuditEntry.objects.get(action="POST set_language")
    assert (entry.operator_name, entry.address, entry.path, entry.status) == (
        "officer",
        "10.3.3.3",
        "/i18n/setlang/",
        302,
    )


def test_ordinary_reads_are_not_recorded_but_sensitive_ones_are(client, demo_people):
    client.force_login(demo_people.users["supervisor"])
    client.get("/")
    client.get("/notices/")
    assert (
        not AuditEntry.objects.filter(action__startswith="GET").exclude(action="GET accounts:audit").exists()
    )
    client.get(reverse("portal:attachment", args=["NO-SUCH", 1]))
    assert AuditEntry.objects.filter(action="GET portal:attachment", operator_name="supervisor").exists()


def test_signing_in_failing_and_signing_out_are_recorded(demo_people):
    browser = Client(REMOTE_ADDR="10.4.4.4")
    browser.post(reverse("accounts:login"), {"username": "supplier1", "password": "wrong"})
    browser.post(reverse("accounts:login"), {"username": "supplier1", "password": DEMO_PASSWORD})
    browser.post(reverse("accounts:logout"))
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "operator_name", "address"))
    assert actions == [
        ("sign_in_failed", "supplier1", "10.4.4.4"),
        ("sign_in", "supplier1", "10.4.4.4"),
        ("sign_out", "supplier1", "10.4.4.4"),
    ]


def test_the_supervisor_searches_the_log_and_the_search_is_itself_recorded(client, demo_people):
    for username, address in [("officer", "10.5.5.1"), ("director", "10.5.5.2")]:
        person = Client(REMOTE_ADDR=address)
        person.force_login(demo_people.users[username])
        person.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    client.force_login(demo_people.users["supervisor"])
    page = client.get(reverse("accounts:audit"), {"operator": "director"}).content.decode()
    assert "审计日志" in page and "10.5.5.2" in page and "10.5.5.1" not in page
    by_address = client.get(reverse("accounts:audit"), {"address": "10.5.5.1"}).content.decode()
    assert "officer" in by_address and "10.5.5.2" not in by_address
    assert AuditEntry.objects.filter(action="GET accounts:audit", operator_name="supervisor").count() == 2


@pytest.mark.parametrize("username", ["citizen1", "officer", "supplier1"])
def test_others_may_not_read_the_log(client, demo_people, username):
    client.force_login(demo_people.users[username])
    response = client.get(reverse("accounts:audit"))
    assert response.status_code == 403
    assert "您无权查看此页面" in response.content.decode()
