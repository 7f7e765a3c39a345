"""Staff tools: the inbox counts working days left on the promised limit (not only the legal one),
materials are listed by name, and the guide editor edits steps, fees, FAQ and materials with real
forms, the application form's JSON only behind the advanced switch and validated."""

import html
import re

import pytest
import time_machine
from django.urls import reverse

from portal.models import Application, Service
from tests.conftest import choose_english

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):  # a Monday; before `demo`
        yield


def test_the_inbox_shows_working_days_left_on_the_promised_limit(demo, client):
    renewal = Application.objects.get(service__code="driving-licence-renewal")  # accepted on 2026-06-01
    assert renewal.status == "in_review" and renewal.promised_due < renewal.decision_due
    client.force_login(demo.users["police_staff"])
    response = choose_english(client).get(reverse("portal:staff"))
    page = response.content.decode()
    assert renewal.reference in page, (response.status_code, page[-3000:])
    row = page[page.index(renewal.reference) :].split("</tr>")[0]
    left = renewal.service.promised_time_limit
    assert f"Promised {renewal.promised_due:%Y-%m-%d}" in row and f"{left} working days left" in row
    with time_machine.travel("2026-08-03 10:00 +0800", tick=False):
        client.force_login(demo.users["police_staff"])  # a new session: the old one idled out
        late = choose_english(client).get(reverse("portal:staff")).content.decode()
    assert "working days overdue" in late[late.index(renewal.reference) :].split("</tr>")[0]


def test_staff_see_materials_by_name(demo, client):
    benefit = Application.objects.get(service__code="unemployment-benefit")
    client.force_login(demo.users["hr_staff"])
    page = client.get(reverse("portal:staff_application", args=[benefit.reference])).content.decode()
    assert "解除或终止劳动合同证明: termination.pdf" in page and "termination: termination.pdf" not in page


def _management(prefix, total, initial):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def _post_data(client, code):
    """The editor's own form as the browser would send it back (every input with its value)."""
    page = client.get(reverse("portal:staff_service_edit", args=[code])).content.decode()
    data: dict = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name is None or 'type="submit"' in tag:
            continue
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                data.setdefault(name.group(1), []).append(html.unescape(value.group(1)) if value else "on")
            continue
        data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page, re.S):
        data[name] = html.unescape(value).strip("\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    data.pop("csrfmiddlewaretoken", None)
    return page, data


def test_the_guide_editor_uses_real_forms_and_saves_steps_fees_faq_and_materials(demo, client):
    client.force_login(demo.users["civil_staff"])
    page, data = _post_data(client, "marriage-registration")
    assert 'name="steps-0-step"' in page and 'name="fees-0-amount"' in page and 'name="faq-0-q"' in page
    assert 'name="materials-0-name"' in page and 'id="advanced"' in page
    steps = int(data["steps-TOTAL_FORMS"]) - 1  # the last row is the empty one to add
    data[f"steps-{steps}-step"] = "领取电子结婚证"
    data[f"steps-{steps}-step_en"] = "Receive the electronic marriage certificate"
    data["fees-0-amount"] = "10.00"
    data["faq-0-q_en"], data["faq-0-a_en"] = "Can one of us come alone?", "No, both must sign in person."
    materials = int(data["materials-TOTAL_FORMS"]) - 1
    data.update(
        {
            f"materials-{materials}-key": "health",
            f"materials-{materials}-name": "婚前医学检查证明",
            f"materials-{materials}-form": "扫描件",
            f"materials-{materials}-copies": "1",
        }
    )
    response = client.post(reverse("portal:staff_service_edit", args=["marriage-registration"]), data)
    assert response.status_code == 302, re.findall(
        r"error-summary__list.*?</ul>", response.content.decode(), re.S
    )
    service = Service.objects.get(code="marriage-registration")
    assert service.steps[-1] == "领取电子结婚证" and service.fee_items[0]["amount"] == "10.00"
    assert service.faq[0]["a_en"] == "No, both must sign in person."
    assert service.materials.get(key="health").name == "婚前医学检查证明"


def test_bad_input_lists_every_problem_and_changes_nothing(demo, client):
    client.force_login(demo.users["civil_staff"])
    _page, data = _post_data(client, "marriage-registration")
    before = Service.objects.get(code="marriage-registration")
    data["fees-0-amount"] = "9.999"
    data["steps-0-step"] = ""
    data["adv-advanced"] = "on"
    data["adv-form_schema"] = '{"type": "object", "properties": {"x": {"type": "nonsense"}}}'
    response = client.post(reverse("portal:staff_service_edit", args=["marriage-registration"]), data)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="guide-errors"' in page
    assert page.count('<li><a href="#id_') >= 2  # the amount and the empty step, at once
    after = Service.objects.get(code="marriage-registration")
    assert (after.fee_items, after.steps, after.form_schema) == (
        before.fee_items,
        before.steps,
        before.form_schema,
    )


def test_an_invalid_schema_behind_the_advanced_switch_is_refused(demo, client):
    client.force_login(demo.users["civil_staff"])
    _page, data = _post_data(client, "marriage-registration")
    before = Service.objects.get(code="marriage-registration").form_schema
    data["adv-advanced"] = "on"
    data["adv-form_schema"] = '{"type": "object", "properties": {"x": {"type": "nonsense"}}}'
    response = client.post(reverse("portal:staff_service_edit", args=["marriage-registration"]), data)
    assert response.status_code == 200 and 'id="guide-errors"' in response.content.decode()
    assert Service.objects.get(code="marriage-registration").form_schema == before


def test_another_departments_staff_cannot_edit_the_guide(demo, client):
    client.force_login(demo.users["hr_staff"])
    response = client.get(reverse("portal:staff_service_edit", args=["marriage-registration"]))
    assert response.status_code in (403, 404)
