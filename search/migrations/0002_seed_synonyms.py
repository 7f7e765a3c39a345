"""The first synonym groups: the everyday words people type for the demo catalogue's matters and
for common procurement items. Administrators edit them in the admin (search → synonym groups)."""

from django.db import migrations

SERVICES = [
    "驾照, 驾驶证, 驾驶执照, 车本",
    "开公司, 注册公司, 办营业执照, 办执照, 开办企业, 企业开办, 企业设立, 营业执照",
    "关公司, 注销公司, 企业注销, 注销登记",
    "公司变更, 企业变更, 变更登记, 改名",
    "上户口, 报户口, 落户, 户籍, 户口",
    "护照, 出入境, 出国",
    "公积金, 住房公积金",
    "养老金, 退休金, 养老保险, 领退休工资",
    "身份证, 居民身份证",
    "结婚, 领结婚证, 结婚证, 婚姻登记",
    "离婚, 离婚证",
    "生孩子, 新生儿, 出生登记, 出生",
    "失业金, 失业保险金, 失业",
    "低保, 最低生活保障",
    "居住证, 暂住证",
    "报税, 纳税申报, 申报纳税",
    "领发票, 新办纳税人, 税务登记",
    "上学, 入学, 入学报名",
    "高企, 高新技术企业",
    "找工作, 就业",
    "食品许可证, 食品经营许可",
    "老人补贴, 高龄补贴, 高龄老人",
]
NOTICES = [
    "电脑, 计算机",
    "维保, 维修保养, 维护保养",
    "保洁, 清洁",
    "物业, 物业管理",
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for scope, groups in (("services", SERVICES), ("notices", NOTICES)):
        for words in groups:
            SynonymGroup.objects.get_or_create(words=words.replace(", ", "\n"), scope=scope)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_tables")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
