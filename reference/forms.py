"""Forms of the Naslag: validate only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import EditVersionMixin, VersionField

from .estimate import MAX_PUPILS, MIN_PUPILS
from .search import MAX_QUERY_LENGTH

PUPIL_ERRORS = {
    "required": _("Vul het aantal leerlingen in."),
    "invalid": _("Vul een heel getal in, zonder punt, komma of letters (bijvoorbeeld 320)."),
    "min_value": _("Het aantal leerlingen is minstens %(limit_value)s."),
    "max_value": _(
        "Vul een aantal tot en met %(limit_value)s in. Heeft de school meer leerlingen? Reken dan per locatie."
    ),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoeken in de naslag"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": _("Zoek met hoogstens %(limit_value)d tekens (nu %(show_value)d).")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class PupilCountForm(forms.Form):
    """The GET form: try a number without storing it."""

    leerlingen = forms.IntegerField(
        label=_("Aantal leerlingen"),
        min_value=MIN_PUPILS,
        max_value=MAX_PUPILS,
        error_messages=PUPIL_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SavePupilCountForm(EditVersionMixin, forms.Form):
    """Schoolleiding and kartrekkers store the number on the school, with the version the page was loaded with:
    someone else may have saved another number since (core.editing.edit)."""

    pupil_count = forms.IntegerField(
        label=_("Aantal leerlingen van de school"),
        min_value=MIN_PUPILS,
        max_value=MAX_PUPILS,
        error_messages=PUPIL_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    version = VersionField()
