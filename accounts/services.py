"""Writes to one's own account: the name others see, and the password. Atomic and audited (no school: an account
belongs to the person, not to one school)."""

from __future__ import annotations

from django.db import transaction

from audit.models import record


@transaction.atomic
def do_change_name(*, user, name: str, acting_user) -> None:
    before = user.name
    user.name = name.strip()
    user.save(update_fields=["name"])
    record(
        action="account.name_changed", acting_user=acting_user, target=user, data={"before": before, "after": user.name}
    )


@transaction.atomic
def do_set_password(*, form, acting_user) -> None:
    """Save a validated SetPasswordForm or PasswordChangeForm; the audit row says that, never the password."""
    user = form.save()
    record(action="account.password_set", acting_user=acting_user, target=user)
