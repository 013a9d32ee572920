from django.db import migrations, models


class Migration(migrations.Migration):
    """Tokens get a scope. Tokens issued before this keep what they could do (write); new ones
    are read-only unless asked for otherwise."""

    dependencies = [
        ("accounts", "0003_user_must_change_password"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("write", "读写")], default="write", max_length=10, verbose_name="权限范围"
            ),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("write", "读写")], default="read", max_length=10, verbose_name="权限范围"
            ),
        ),
    ]
