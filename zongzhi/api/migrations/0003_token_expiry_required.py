from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("api", "0002_token_expiry")]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
    ]
