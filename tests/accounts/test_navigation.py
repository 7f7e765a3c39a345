import pytest

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def nav_labels(client) -> list[str]:
    html = client.get("/").content.decode()
    nav = html[html.index('id="navigation"') : html.index("</ul>", html.index('id="navigation"'))]
    return [
        part.split("</a>")[0].rsplit(">", 1)[-1].strip()
        for part in nav.split("govuk-service-navigation__link")[1:]
    ]


def test_the_public_sees_only_public_sections(client, demo):
    assert nav_labels(client) == ["首页", "采购公告", "政务服务", "公开账本", "供应商查询"]


@pytest.mark.parametrize(
    ("username", "present", "absent"),
    [
        ("officer", {"我的任务", "采购项目", "供应商核验", "个人中心"}, {"我的投标", "开标密钥"}),
        ("supplier1", {"我的投标", "企业档案", "个人中心"}, {"我的任务", "采购项目", "开标密钥"}),
        ("custodian1", {"开标密钥"}, {"我的投标", "采购项目"}),
        ("citizen1", {"个人中心"}, {"我的任务", "我的投标", "采购项目", "开标密钥"}),
    ],
)
def test_roles_decide_the_extra_sections(client, demo, username, present, absent):
    client.login(username=username, password=DEMO_PASSWORD)
    labels = set(nav_labels(client))
    assert present <= labels
    assert not absent & labels
