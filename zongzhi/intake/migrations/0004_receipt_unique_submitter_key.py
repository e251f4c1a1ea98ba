from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_fill_receipt_submitter"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="submissionreceipt",
            constraint=models.UniqueConstraint(
                fields=("channel", "submitter", "key"), name="receipt_unique_submitter_key"
            ),
        ),
    ]
