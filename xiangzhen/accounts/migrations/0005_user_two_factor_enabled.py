from django.db import migrations, models


def mark_accounts_with_a_device(apps, schema_editor):
    """Accounts that already added an authenticator app keep needing its code (one UPDATE, so
    running it again changes nothing)."""
    User = apps.get_model("accounts", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    confirmed = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    User.objects.filter(pk__in=confirmed).update(two_factor_enabled=True)


class Migration(migrations.Migration):
    """Whether an account has an authenticator app is kept on the user row, so the two-factor
    middleware needs no device query on each staff request (see accounts.twofactor)."""

    dependencies = [
        ("accounts", "0004_api_token_scope"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="two_factor_enabled",
            field=models.BooleanField(default=False, editable=False, verbose_name="已启用两步验证"),
        ),
        migrations.RunPython(mark_accounts_with_a_device, migrations.RunPython.noop),
    ]
