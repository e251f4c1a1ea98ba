from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0002: PostgreSQL refuses to alter a table with pending trigger events left
    # by that migration's row updates in the same transaction.
    dependencies = [
        ("intake", "0002_receipt_submitter"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="submissionreceipt",
            constraint=models.UniqueConstraint(
                fields=("channel", "submitter", "key"), name="receipt_unique_submitter_key"
            ),
        ),
    ]
