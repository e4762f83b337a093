"""The second factor moves from django-otp to allauth.mfa (accounts/otp_import.py): every confirmed TOTP device
becomes a TOTP Authenticator, its recovery codes one RECOVERY_CODES Authenticator that still accepts them.
Runs only where the django-otp tables exist (an existing database); a fresh database has nothing to move. The old
tables are left alone."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from accounts.mfa_adapter import encrypt
    from accounts.otp_import import move_otp_data

    move_otp_data(
        connection=schema_editor.connection,
        Authenticator=apps.get_model("mfa", "Authenticator"),
        SecondFactorThrottle=apps.get_model("accounts", "SecondFactorThrottle"),
        encrypt=encrypt,
        now=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_second_factor_throttle"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
