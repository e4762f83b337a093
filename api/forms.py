from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import PlainDateField

from .models import ApiToken


class ApiTokenForm(forms.Form):
    """A new API token of the board (api.tokens.do_create_api_token)."""

    name = forms.CharField(
        label=_("Naam"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("Waarvoor je de sleutel gebruikt, bijvoorbeeld het dashboard van het bestuursbureau."),
        error_messages={
            "required": _("Geef de sleutel een naam."),
            "max_length": _("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )
    expires_on = PlainDateField(
        label=_("Geldig tot en met (mag leeg blijven)"),
        required=False,
        help_text=_("Na deze dag werkt de sleutel niet meer. Leeg: tot je hem intrekt."),
    )

    def clean_expires_on(self):
        value = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Kies vandaag of een dag in de toekomst."))
        return value
