from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class PreferencesForm(forms.Form):
    enabled = forms.MultipleChoiceField(
        label=_("Deze e-mails wil ik krijgen"),
        choices=Kind.choices,
        required=False,  # nothing ticked: no mail of any kind
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Kies alleen uit de soorten e-mail in de lijst. Er is niets opgeslagen."),
            "invalid_list": _("Kies alleen uit de soorten e-mail in de lijst. Er is niets opgeslagen."),
        },
    )
