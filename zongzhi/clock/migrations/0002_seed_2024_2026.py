"""Load the official holidays of 2024–2026 so every database has them (later years: the
`seed_calendar` command or the admin)."""

from django.db import migrations


def seed(apps, schema_editor):
    from zongzhi.clock.seeding import seed_years

    seed_years(
        [2024, 2025, 2026],
        apps.get_model("clock", "SpecialDay"),
        apps.get_model("clock", "CalendarYear"),
    )


def unseed(apps, schema_editor):
    apps.get_model("clock", "SpecialDay").objects.filter(
        date__year__in=[2024, 2025, 2026], place__isnull=True
    ).delete()
    apps.get_model("clock", "CalendarYear").objects.filter(year__in=[2024, 2025, 2026]).delete()


class Migration(migrations.Migration):
    dependencies = [("clock", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
