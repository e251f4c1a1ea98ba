"""The five seats of 多长联调 (网格长、派出所所长、司法所所长、人民法庭庭长、检察室主任)."""

from django.db import migrations

SEATS = (
    ("grid-head", "网格长", "网格", "grid_head", "", ""),
    ("police-station", "派出所所长", "派出所", "unit", "公安", "派出所"),
    ("justice-office", "司法所所长", "司法所", "unit", "司法", "司法所"),
    ("tribunal", "人民法庭庭长", "人民法庭", "unit", "法院", "人民法庭"),
    ("procuratorate-office", "检察室主任", "检察室", "unit", "检察院", "检察室"),
)


def add_seats(apps, schema_editor):
    seat_model = apps.get_model("dispatch", "JointCallSeat")
    for order, (key, title, office, kind, department, name) in enumerate(SEATS, start=1):
        seat_model.objects.update_or_create(
            key=key,
            defaults={
                "title": title,
                "office": office,
                "kind": kind,
                "department": department,
                "name_contains": name,
                "order": order * 10,
            },
        )


def remove_seats(apps, schema_editor):
    apps.get_model("dispatch", "JointCallSeat").objects.filter(
        key__in=[seat[0] for seat in SEATS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0008_whistles")]

    operations = [migrations.RunPython(add_seats, remove_seats)]
