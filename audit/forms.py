"""The filter of the log pages: what kind of event, by whom. Only validates."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import action_label


def person_label(user) -> str:
    """A name, never the login address (a user without a name gets a neutral label)."""
    return user.name or str(_("(zonder naam)"))


class LogFilterForm(forms.Form):
    actie = forms.ChoiceField(label=_("Wat"), required=False)
    persoon = forms.TypedChoiceField(label=_("Wie"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, actions, people):
        super().__init__(data)
        labelled = sorted(((code, action_label(code)) for code in actions), key=lambda item: item[1].lower())
        action_field = self.fields["actie"]
        person_field = self.fields["persoon"]
        assert isinstance(action_field, forms.ChoiceField) and isinstance(person_field, forms.ChoiceField)
        action_field.choices = [("", _("Alles")), *labelled]
        person_field.choices = [("", _("Iedereen")), *((str(u.pk), person_label(u)) for u in people)]
        self.fields["actie"].error_messages["invalid_choice"] = _("Kies een soort uit de lijst.")
        self.fields["persoon"].error_messages["invalid_choice"] = _("Kies een persoon uit de lijst.")
