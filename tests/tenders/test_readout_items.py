"""Read-out items with labels, types and units (tenders/readout.py): the editor picks catalogue items
and defines the tender's own, the notice and bid page show labels not identifiers, an item without a
definition is a rule problem, values are judged by type, and the rules' numbers read "30", not "3E+1"."""

import pytest
import time_machine

from tenders import readout
from tenders import services as tender_services
from tenders.models import Tender
from tests.tenders.factories import at, make_tender

ISSUE = at("2026-11-02", "09:00")
DEADLINE = at("2026-12-01", "09:30")


@pytest.fixture
def tender(demo):
    with time_machine.travel(ISSUE, tick=False):
        return make_tender(demo, issue=ISSUE, deadline=DEADLINE, lots=0)


def _editor_post(client, tender, **readout_data):
    from tenders.forms import TenderForm

    form = TenderForm(instance=tender, officer_orgs={tender.buyer_id})
    data = {}
    for name, field in form.fields.items():
        if name.startswith("readout_"):
            continue
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        if hasattr(value, "strftime"):
            value = value.astimezone(tender.bid_deadline.tzinfo).strftime("%Y-%m-%dT%H:%M")
        if isinstance(value, list):
            value = "\n".join(value)
        data[name] = "" if value is None else value
    for prefix in ("lots", "criteria", "custodians"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    for c in tender.criteria.all():
        i = int(data["criteria-TOTAL_FORMS"])
        data.update({f"criteria-{i}-name": c.name, f"criteria-{i}-weight": str(c.weight)})
        if c.is_price:
            data[f"criteria-{i}-is_price"] = "on"
        data["criteria-TOTAL_FORMS"] = str(i + 1)
    for c in tender.custodians.order_by("index"):
        i = int(data["custodians-TOTAL_FORMS"])
        data.update({f"custodians-{i}-user": c.user_id})
        data["custodians-TOTAL_FORMS"] = str(i + 1)
    data.update(readout_data)
    return client.post(f"/tenders/{tender.pk}/", data)


def test_the_editor_reads_out_catalogue_items_and_the_tenders_own(demo, client, tender):
    client.force_login(demo.users["officer"])
    with time_machine.travel(ISSUE, tick=False):
        response = _editor_post(
            client,
            tender,
            readout_optional=["delivery_days", "warranty_months"],
            readout_item_1_label="安装调试期",
            readout_item_1_type="days",
            readout_item_1_unit="天",
            readout_item_2_label="是否提供备品备件",
            readout_item_2_type="choice",
            readout_item_2_choices="是、否",
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    tender = Tender.objects.get(pk=tender.pk)
    assert tender.readout_fields == [
        "price",
        "currency",
        "delivery_days",
        "warranty_months",
        "item_1",
        "item_2",
    ]
    assert tender.readout_items["item_1"] == {
        "label": "安装调试期",
        "type": "days",
        "unit": "天",
        "choices": [],
    }
    assert tender.readout_items["item_2"]["choices"] == ["是", "否"]
    headings = [readout.heading(item) for item in readout.tender_items(tender)]
    assert headings == [
        "投标报价（元）",
        "币种",
        "交货期（天）",
        "质保期（个月）",
        "安装调试期（天）",
        "是否提供备品备件",
    ]


def test_an_own_item_without_a_type_is_refused_beside_it_and_nothing_changes(demo, client, tender):
    client.force_login(demo.users["officer"])
    before = list(tender.readout_fields)
    with time_machine.travel(ISSUE, tick=False):
        response = _editor_post(client, tender, readout_item_1_label="安装调试期")
    assert response.status_code == 200
    assert "请选择唱标项“安装调试期”的类型。" in response.content.decode()
    assert Tender.objects.get(pk=tender.pk).readout_fields == before


def test_an_item_named_without_a_definition_is_a_rule_problem(demo, tender):
    with time_machine.travel(ISSUE, tick=False):
        tender_services.tender_update(
            tender_id=tender.pk, by=demo.users["officer"], readout_fields=["price", "currency", "warranty"]
        )
        problems = tender_services.tender_problems(tender=Tender.objects.get(pk=tender.pk))
    assert "请为唱标项“warranty”填写名称、类型和单位。" in [p.message for p in problems]


def test_the_notice_names_the_items_people_read(demo, client, tender):
    with time_machine.travel(ISSUE, tick=False):
        tender_services.tender_submit(tender_id=tender.pk, by=demo.users["officer"])
        tender = tender_services.tender_publish(tender_id=tender.pk, by=demo.users["director"])
        page = client.get(f"/notices/{tender.reference}/").content.decode()
    assert "投标报价（元）、币种、交货期（天）" in page
    payload = tender.announcements.get().payload
    assert [i["label"] for i in payload["readout_items"]] == ["投标报价", "币种", "交货期"]


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("price", "12,000", "请以两位小数、不带分隔符的金额填写投标报价，例如 1284500.00。"),
        ("price", "-5.00", "请以两位小数、不带分隔符的金额填写投标报价，例如 1284500.00。"),
        ("price", "12000.5", "请以两位小数、不带分隔符的金额填写投标报价，例如 1284500.00。"),
        ("price", "12000.50", None),
        ("delivery_days", "30天", "请以整数天数填写交货期，例如 30。"),
        ("delivery_days", "", "请以整数天数填写交货期，例如 30。"),
        ("delivery_days", "30", None),
    ],
)
def test_values_are_judged_by_their_type(name, value, problem):
    assert readout.value_problem(readout.definition(name, {}), value) == problem


def test_shown_with_units_and_choice_labels():
    own = {"item_1": {"label": "备品备件", "type": "choice", "unit": "", "choices": ["是", "否"]}}
    assert readout.display(readout.definition("delivery_days", {}), "30") == "30 天"
    assert readout.display(readout.definition("item_1", own), "2") == "否"
    assert readout.display(readout.definition("delivery_days", {}), "30天") == "30天"  # as declared


def test_rule_numbers_read_as_people_write_them(demo, tender):
    with time_machine.travel(ISSUE, tick=False):
        tender_services.tender_criteria_set(
            tender_id=tender.pk,
            by=demo.users["officer"],
            criteria=[{"name": "价格", "weight": "20", "is_price": True}, {"name": "技术", "weight": "80"}],
        )
        problems = tender_services.tender_problems(tender=Tender.objects.get(pk=tender.pk))
    texts = " ".join(p.message for p in problems)
    assert "30%" in texts and "E+" not in texts
