from datetime import timedelta

from django.db import migrations
from django.db.models import F


def split_conclusion(apps, schema_editor):
    """resolved_at used to be set by concluding with either outcome: it becomes concluded_at,
    and stays resolved_at only for substantive resolution. A concluded case no longer turns
    red (deadlines.refresh_clock), so its warn_at goes."""
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(resolved_at__isnull=False).update(
        concluded_at=F("resolved_at"), warn_at=None
    )
    Case.objects.filter(resolved_at__isnull=False).exclude(outcome="resolved").update(
        resolved_at=None
    )


def join_conclusion(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(concluded_at__isnull=False).update(resolved_at=F("concluded_at"))
    # The old clock: an open concluded case turned red 72 hours before closing was due.
    for case in Case.objects.filter(concluded_at__isnull=False, next_due_at__isnull=False):
        case.warn_at = case.next_due_at - timedelta(hours=72)
        case.save(update_fields=["warn_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_concluded_at"),
    ]

    operations = [
        migrations.RunPython(split_conclusion, join_conclusion),
    ]
