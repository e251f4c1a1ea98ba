from django.db import migrations, models


class Migration(migrations.Migration):
    # The data follows in 0003 and the new constraint in 0004, each in a transaction of its
    # own: PostgreSQL refuses to alter a table with pending trigger events left by row
    # updates in the same transaction.
    dependencies = [
        ("intake", "0001_receipts_ratings_rates"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="submissionreceipt", name="receipt_unique_key"),
        migrations.AddField(
            model_name="submissionreceipt",
            name="submitter",
            field=models.CharField(default="", max_length=80),
            preserve_default=False,
        ),
    ]
