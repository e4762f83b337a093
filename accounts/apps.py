from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.socialaccount.models import SocialAccount
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from .services import start_session_clock
        from .sso import keep_linked_issuer, link_pending_on_login
        from .twofactor import forget_verification_on_login

        user_logged_in.connect(start_session_clock, dispatch_uid="accounts.start_session_clock")
        # Every login starts before the second step, also a new login of the same person (accounts/twofactor.py).
        user_logged_in.connect(forget_verification_on_login, dispatch_uid="accounts.twofactor.forget_on_login")
        # A login of ours in a session where a school account waits to be linked links it (accounts/sso.py).
        user_logged_in.connect(link_pending_on_login, dispatch_uid="accounts.sso.link_pending_on_login")
        # A linked school account keeps the issuer it was linked with when allauth stores a new login's claims.
        pre_save.connect(keep_linked_issuer, sender=SocialAccount, dispatch_uid="accounts.sso.keep_linked_issuer")
