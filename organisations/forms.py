import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from core.fields import PlainDateField

from .models import Cluster, EducationType, Role, School

MAX_INVITES = 200
MAX_EMAIL_LENGTH = 254


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Role.choices)
        kwargs.setdefault("label", _("Rollen"))
        kwargs.setdefault("error_messages", {"required": _("Kies minstens één rol.")})
        super().__init__(**kwargs)


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("E-mailadressen"),
        help_text=_("Plak één of meer werk-e-mailadressen, gescheiden door komma's, puntkomma's of nieuwe regels."),
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        max_length=20000,
    )
    roles = RolesField()

    def clean_emails(self):
        raw = self.cleaned_data["emails"]
        parts = [p.strip().strip("<>").lower() for p in re.split(r"[\s,;]+", raw) if p.strip()]
        bad = []
        emails = []
        for part in parts:
            try:
                if len(part) > MAX_EMAIL_LENGTH:  # validate_email allows 320; the columns hold 254
                    raise ValidationError("too long")
                validate_email(part)
            except ValidationError:
                bad.append(part[:80])
                continue
            if part not in emails:
                emails.append(part)
        if bad:
            raise ValidationError(
                _("Deze adressen kloppen niet: %(bad)s. Verbeter ze en probeer het opnieuw."),
                params={"bad": ", ".join(bad[:10])},
            )
        if not emails:
            raise ValidationError(_("Vul minstens één e-mailadres in."))
        if len(emails) > MAX_INVITES:
            raise ValidationError(_("Nodig maximaal %(max)d mensen tegelijk uit."), params={"max": MAX_INVITES})
        return emails


class RolesForm(forms.Form):
    roles = RolesField()


class MemberForm(RolesForm):
    """Roles, and since when someone is in the team (the team training lists who joined after it began)."""

    joined_on = PlainDateField(
        label=_("In het team sinds"),
        help_text=_("Wie na de start van de teamtraining in het team kwam, ziet welke modules nog te volgen zijn."),
        required=False,  # left empty: unchanged
    )


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label=_("Je naam"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Kies een wachtwoord (mag ook later)"),
        help_text=_("Minstens 10 tekens. Zonder wachtwoord log je in met een code die we je mailen."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        max_length=128,
    )

    def __init__(self, *args, needs_name=False, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["name"].required = needs_name
        if not needs_name:
            del self.fields["name"]
            del self.fields["password"]

    def clean_password(self):
        from django.contrib.auth import password_validation

        from accounts.models import User

        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password, User(email=self.email, name=self.data.get("name", "")))
        return password


class SchoolleidingInviteForm(InviteForm):
    """The team page's invitation form, for the schoolleiding role only (the admin's school action and the board's
    "Schoolleiding uitnodigen")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["roles"]


class BoardSchoolForm(forms.Form):
    """A school of the board, as its beheerder adds or edits it (organisations.services.do_create_school)."""

    name = forms.CharField(
        label=_("Naam van de school"),
        max_length=School._meta.get_field("name").max_length,
        error_messages={"required": _("Vul de naam van de school in.")},
    )
    education_type = forms.ChoiceField(
        label=_("Onderwijstype"),
        choices=[("", _("Kies een onderwijstype")), *EducationType.choices],
        error_messages={
            "required": _("Kies een onderwijstype."),
            "invalid_choice": _("Kies een onderwijstype uit de lijst."),
        },
    )
    cluster = forms.TypedChoiceField(
        label=_("Cluster"),
        choices=[("", _("Geen cluster")), *Cluster.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Alleen voor SO en VSO."),
        error_messages={"invalid_choice": _("Kies een cluster uit de lijst.")},
    )
    brin = forms.CharField(
        label=_("BRIN-code (mag leeg blijven)"),
        max_length=School._meta.get_field("brin").max_length,
        required=False,
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if "<" in name or ">" in name:
            raise ValidationError(_("Een schoolnaam bevat geen < of >."))
        return name

    def clean_brin(self):
        brin = self.cleaned_data["brin"].strip().upper()
        if brin and not re.fullmatch(r"[0-9A-Z]{2,6}", brin):
            raise ValidationError(_("Een BRIN-code bestaat uit cijfers en letters, hooguit 6 tekens."))
        return brin

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("cluster") and cleaned.get("education_type") not in (EducationType.SO, EducationType.VSO):
            self.add_error("cluster", _("Een cluster hoort alleen bij SO of VSO."))
        return cleaned
