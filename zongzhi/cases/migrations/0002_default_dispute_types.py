from django.db import migrations

# Frozen copy of cases.catalogue.DEFAULT_DISPUTE_TYPES at the time of writing.
TYPES = [
    ("marriage-family", "婚姻家庭", "婚姻、继承、赡养、抚养等家庭纠纷"),
    ("neighbourhood", "邻里纠纷", "相邻关系、通行、排水、噪音等邻里矛盾"),
    ("land-forest", "山林土地", "山林、土地承包、田埂地界、宅基地纠纷"),
    ("wages", "劳动报酬", "拖欠工资、劳动报酬、工伤待遇"),
    ("contract", "合同租赁借贷", "买卖、租赁、借贷等合同纠纷"),
    ("consumer", "消费纠纷", "商品质量、服务合同、预付卡"),
    ("medical", "医疗纠纷", "医患纠纷（医调）"),
    ("property-management", "物业纠纷", "物业服务、小区管理"),
    ("traffic", "交通事故", "道路交通事故赔偿"),
    ("land-requisition", "征地拆迁", "征地补偿、拆迁安置"),
    ("environment", "环境污染", "噪声、废水、废气、养殖污染"),
    ("construction", "建设工程", "工程款、施工损害"),
    ("industry", "行业经营", "产业经营中的价格、收购、合作纠纷"),
    ("other", "其他纠纷", "不属于以上类别的矛盾纠纷"),
]


def load(apps, schema_editor):
    DisputeType = apps.get_model("cases", "DisputeType")
    for order, (code, name, description) in enumerate(TYPES, start=1):
        DisputeType.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
