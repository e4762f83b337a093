"""The erase action of the user admin in /beheer/: erasure reads every app (pages/privacy.py), so it is added here,
on top, to the user admin of accounts (re-registered with the action)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import UserAdmin as AccountsUserAdmin
from accounts.models import User

from . import privacy

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(AccountsUserAdmin):
    actions = ["erase_accounts"]

    # Only who may change accounts may erase them (view permission alone lists nothing to erase with).
    @admin.action(
        permissions=["change"],
        description=_("Gegevens wissen (AVG): account wordt 'oud-teamlid', resultaten blijven"),
    )
    def erase_accounts(self, request, queryset):
        erased = 0
        for user in queryset.order_by("pk"):
            if user.pk == request.user.pk:
                self.message_user(
                    request, _("Je eigen account wis je via Mijn gegevens, niet hier."), level=messages.WARNING
                )
                continue
            if user.is_superuser and not request.user.is_superuser:
                self.message_user(
                    request,
                    _("%(email)s is platformbeheerder: dat account kan alleen een platformbeheerder wissen.")
                    % {"email": user.email},
                    level=messages.WARNING,
                )
                continue
            if not privacy.is_erased(user):
                privacy.do_erase_user(user=user, acting_user=request.user, reason="beheer")
                erased += 1
        self.message_user(request, ngettext("%(n)d account gewist.", "%(n)d accounts gewist.", erased) % {"n": erased})
