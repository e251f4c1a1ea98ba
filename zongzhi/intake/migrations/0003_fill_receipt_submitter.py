import hashlib
import hmac

from django.conf import settings
from django.db import migrations


def _phone_submitter(phone: str) -> str:
    # As intake.services.citizen_submitter at the time of writing (frozen here on purpose).
    digits = "".join(ch for ch in phone if ch.isdigit())
    digits = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    digest = hmac.new(settings.HASH_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()
    return "phone:" + digest


def scope_receipts(apps, schema_editor):
    """Old receipts carried their submitter in the channel (open311:<id>, api-staff:<id>) or
    not at all (the citizen channels): give each its submitter."""
    Receipt = apps.get_model("intake", "SubmissionReceipt")
    Party = apps.get_model("cases", "Party")
    for receipt in Receipt.objects.all().iterator():
        channel, _, owner = receipt.channel.partition(":")
        if channel == "open311" and owner:
            receipt.channel, receipt.submitter = "open311", f"open311-client:{owner}"
        elif channel == "api-staff" and owner:
            receipt.channel, receipt.submitter = "api-staff", f"user:{owner}"
        else:
            applicant = (
                Party.objects.filter(case_id=receipt.case_id, role="applicant")
                .order_by("id")
                .first()
            )
            receipt.submitter = _phone_submitter(applicant.phone if applicant else "")
        receipt.save(update_fields=["channel", "submitter"])


def unscope_receipts(apps, schema_editor):
    Receipt = apps.get_model("intake", "SubmissionReceipt")
    for receipt in Receipt.objects.all().iterator():
        kind, _, owner = receipt.submitter.partition(":")
        if kind == "open311-client":
            receipt.channel = f"open311:{owner}"
        elif kind == "user":
            receipt.channel = f"api-staff:{owner}"
        receipt.save(update_fields=["channel"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_receipt_submitter"),
    ]

    operations = [
        migrations.RunPython(scope_receipts, unscope_receipts),
    ]
