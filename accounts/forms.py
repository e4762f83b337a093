from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from . import sso, throttle


class EmailField(forms.EmailField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("E-mailadres"))
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
        super().__init__(**kwargs)

    def clean(self, value):
        return super().clean(value).strip().lower()


class PasswordLoginForm(forms.Form):
    email = EmailField()
    password = forms.CharField(
        label=_("Wachtwoord"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}), max_length=128
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean() or self.cleaned_data
        if self.errors:
            return data
        self.user = authenticate(self.request, email=data["email"], password=data["password"])
        if self.user is None:
            throttled = getattr(self.request, "login_throttled", None)
            if throttled == throttle.EMAIL:
                raise forms.ValidationError(
                    _(
                        "Er is te vaak een verkeerd wachtwoord gebruikt voor dit e-mailadres. Probeer het over "
                        "%(minutes)d minuten opnieuw, of log nu in met een code per e-mail."
                    )
                    % {"minutes": settings.LOGIN_PASSWORD_LOCK_MINUTES}
                )
            if throttled:
                raise forms.ValidationError(
                    _(
                        "Er is te vaak een verkeerd wachtwoord gebruikt. Daarom controleren we even geen "
                        "wachtwoorden. Probeer het over %(minutes)d minuten opnieuw, of log nu in met een code per "
                        "e-mail."
                    )
                    % {"minutes": settings.LOGIN_PASSWORD_LOCK_MINUTES}
                )
            raise forms.ValidationError(
                _("Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze, of log in met een code.")
            )
        refused = sso.password_login_refusal(self.request, self.user)  # the school requires single sign-on
        if refused:
            self.user = None
            raise forms.ValidationError(refused)
        return data


class CodeRequestForm(forms.Form):
    email = EmailField()


class CodeVerifyForm(forms.Form):
    code = forms.RegexField(
        label=_("Inlogcode"),
        regex=r"^\s*\d{6}\s*$",
        max_length=20,
        help_text=_("De zes cijfers uit de e-mail."),
        error_messages={"invalid": _("Een inlogcode bestaat uit zes cijfers.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class NameForm(forms.Form):
    name = forms.CharField(
        label=_("Je naam"),
        max_length=150,
        help_text=_("Zo zien collega's je in Groeiwijzer TSO."),
        error_messages={"required": _("Vul je naam in."), "max_length": _("Gebruik maximaal %(limit_value)d tekens.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class LanguageSelect(forms.Select):
    """Each language's name in its own language, marked with ``lang`` for screen readers."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"] = {"lang": value, **option["attrs"]}
        return option


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Taal"),
        choices=settings.LANGUAGES,
        help_text=_(
            "De taal van de pagina's en van de e-mails die je krijgt. De inhoud van het handboek blijft Nederlands."
        ),
        error_messages={"invalid_choice": _("Kies Nederlands of Engels.")},
        widget=LanguageSelect,
    )
