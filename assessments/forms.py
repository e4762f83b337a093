from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import HandbookSelect, Textarea, reject_impossible_ids
from organisations.models import Membership

from .models import DONT_KNOW, MAX_TEXT


def text_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=MAX_TEXT,
        widget=Textarea(attrs={"rows": 2, "maxlength": MAX_TEXT}),  # two per accent on a fill-in page: the fast one
        error_messages={"max_length": _("Gebruik maximaal %(limit_value)d tekens (nu %(show_value)d).")},
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        reject_impossible_ids(self, value)
        return super()._check_values(value)  # type: ignore[misc]  # private Django method, not in django-stubs

    def label_from_instance(self, obj):
        roles = ", ".join(str(r) for r in obj.role_labels)
        return f"{obj.user.display_name} ({roles})"


class FacilitatorField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            reject_impossible_ids(self, [value])
        return super().to_python(value)

    def label_from_instance(self, obj):
        return obj.user.display_name


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Na module 4 – schooljaar 2026-2027"),
    )
    deadline = forms.DateField(
        label=_("Invullen vóór"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    meeting_date = forms.DateField(
        label=_("Datum consensusgesprek"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    anonymous = forms.BooleanField(
        label=_("Antwoorden anoniem tonen in het consensusgesprek (aanbevolen)"),
        required=False,
        initial=True,
        help_text=_(
            "Anoniem: de verdeling verschijnt pas als minstens 3 mensen hebben ingediend, zonder namen. Let op: dat "
            "beschermt tegen het vergelijken van twee overzichten, niet tegen samenspannen. Twee deelnemers die hun "
            "eigen antwoorden aan elkaar vertellen (of één persoon met twee accounts) kunnen uit een groepje van drie "
            "afleiden wat de derde invulde. Hoe meer deelnemers, hoe moeilijker dat wordt."
        ),
    )
    show_previous = forms.BooleanField(
        label=_("Deelnemers zien bij het invullen wat vorige keer is afgesproken"),
        required=False,
        initial=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_show_previous-help"}),
        help_text=_(
            "Standaard uit. Wie eerst zelf kijkt, zonder het vorige cijfer, geeft een eigen beeld; wie het vorige "
            "cijfer ziet, blijft er vaak dicht bij (verankering). Kies het bewust. In het consensusgesprek staat "
            "de vorige afspraak per accent er altijd bij, als startpunt voor het gesprek."
        ),
    )
    participants = MemberChoiceField(
        label=_("Deelnemers"),
        queryset=Membership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # "Het hele team" may stand in for ticking everyone; clean() asks for at least one
        help_text=_(
            "Standaard: kartrekkers, werkgroep, trainers en schoolleiding. Vink hierboven “Het hele team” aan om "
            "iedereen van de school mee te laten doen, of vink mensen hieronder één voor één aan."
        ),
        error_messages={"required": _("Kies minstens één deelnemer.")},
    )
    whole_team = forms.BooleanField(
        label=_("Het hele team: alle teamleden van de school doen mee"),
        required=False,
        help_text=_(
            "Iedereen die nu lid is van de school. Wie later bij de school komt, voeg je toe via Ronde wijzigen."
        ),
    )
    facilitator = FacilitatorField(
        label=_("Trainer die het consensusgesprek mag leiden (optioneel)"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Geen: kartrekker of schoolleiding leidt het gesprek"),
    )

    def __init__(self, *args, school, anonymity_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Someone saved an answer or priority in this anonymous round (a draft counts): it stays anonymous. The page
        # shows no box to untick (a hidden "on" keeps the value); a POST without it (tampered) is refused in clean(),
        # nothing is saved.
        self.anonymity_locked = anonymity_locked
        if anonymity_locked:
            self.fields["anonymous"].widget = forms.HiddenInput()
            self.fields["anonymous"].help_text = _(
                "Deze ronde blijft anoniem: er heeft al iemand ingevuld. Wie anoniem invulde, moet daarop kunnen "
                "rekenen; daarom kan dit niet meer uit. Let op: twee deelnemers die hun eigen antwoorden aan elkaar "
                "vertellen (of één persoon met twee accounts) kunnen uit een groepje van drie afleiden wat de derde "
                "invulde."
            )
        members = Membership.objects.filter(school=school).select_related("user").order_by("user__name")
        participants, facilitator = self.fields["participants"], self.fields["facilitator"]
        assert isinstance(participants, MemberChoiceField) and isinstance(facilitator, FacilitatorField)
        participants.queryset = members
        facilitator.queryset = members.filter(models_q_trainer())

    def round_fields(self) -> dict:
        """The cleaned data as keyword arguments for do_create_round / do_update_round."""
        d = self.cleaned_data
        return {
            "title": d["title"],
            "deadline": d["deadline"],
            "meeting_date": d["meeting_date"],
            "anonymous": d["anonymous"],
            "show_previous": d["show_previous"],
            "participant_user_ids": [m.user_id for m in d["participants"]],
            "facilitator": d["facilitator"].user if d["facilitator"] else None,
        }

    def clean(self):
        data = super().clean() or self.cleaned_data
        if self.anonymity_locked and not data.get("anonymous"):
            self.add_error(
                "anonymous",
                _(
                    "Deze ronde blijft anoniem: er heeft al iemand ingevuld. Anoniem uitzetten kan niet meer; "
                    "er is niets opgeslagen."
                ),
            )
        if data.get("whole_team"):
            data["participants"] = list(self.fields["participants"].queryset)  # type: ignore[attr-defined]
        elif "participants" in data and not data["participants"]:
            self.add_error("participants", _("Kies minstens één deelnemer."))
        d, m = data.get("deadline"), data.get("meeting_date")
        for name in ("deadline", "meeting_date"):
            value = data.get(name)
            if value and not (2000 <= value.year <= 2100):
                self.add_error(name, _("Kies een datum tussen 2000 en 2100."))
        if d and m and m < d and not self.errors:
            self.add_error("meeting_date", _("Het consensusgesprek is na de invuldatum. Kies een latere datum."))
        return data


def models_q_trainer():
    from django.db.models import Q

    return Q(is_trainer_intern=True) | Q(is_trainer_extern=True)


PHASE_CHOICES = [(str(p), str(p)) for p in (1, 2, 3, 4)] + [(str(DONT_KNOW), _("Weet ik niet"))]


class LayerAnswersForm(forms.Form):
    """The answers for all accents of one growth layer: phase-<code>, strengths-<code>, goal-<code>."""

    def __init__(self, *args, accents, **kwargs):
        super().__init__(*args, **kwargs)
        self.accents = accents
        for accent in accents:
            self.fields[f"phase-{accent.code}"] = forms.TypedChoiceField(
                label=accent.name,
                choices=PHASE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Kies groeifase 1, 2, 3 of 4, of ‘weet ik niet’.")},
            )
            self.fields[f"strengths-{accent.code}"] = text_field(
                _("Sterke punten die je ziet"), _("Een paar trefwoorden is genoeg.")
            )
            self.fields[f"goal-{accent.code}"] = text_field(_("Volgend ontwikkeldoel"))

    def clean(self):
        data = super().clean()
        known = {a.code for a in self.accents}
        for key in self.data:
            name, sep, code = key.partition("-")
            if sep and name in ("phase", "strengths", "goal") and code not in known:
                raise forms.ValidationError(
                    _("Er is een antwoord meegestuurd dat niet bij deze groeilaag hoort. Er is niets opgeslagen."),
                    code="unknown_accent",
                )
        return data

    def answers(self, only_present=False) -> dict[str, dict]:
        """Cleaned answers per accent. only_present: only fields that were in the POST (autosave)."""
        out = {}
        for accent in self.accents:
            entry = {}
            for name in ("phase", "strengths", "goal"):
                key = f"{name}-{accent.code}"
                if only_present and key not in self.data:
                    continue
                value = self.cleaned_data.get(key)
                entry[name] = value if name == "phase" else (value or "").strip()
            if entry:
                out[accent.code] = entry
        return out


class PrioritiesForm(forms.Form):
    def __init__(self, *args, accents, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— kies een accent —"))] + [(a.code, f"{a.code} {a.name}") for a in accents]
        for rank in range(1, 6):
            self.fields[f"rank-{rank}"] = forms.ChoiceField(
                label=_("Prioriteit %(rank)d") % {"rank": rank},
                choices=choices,
                required=False,
                widget=HandbookSelect,
                error_messages={"invalid_choice": _("Kies een accent uit de lijst.")},
            )

    def clean(self):
        data = super().clean() or self.cleaned_data
        if any(key.startswith("rank-") and key not in self.fields for key in self.data):
            raise forms.ValidationError(_("Kies maximaal vijf prioriteiten."), code="too_many")
        seen: dict[str, int] = {}  # accent code → rank
        for rank in range(1, 6):
            code = data.get(f"rank-{rank}")
            if code:
                if code in seen:
                    self.add_error(
                        f"rank-{rank}",
                        _("Dit accent staat al op prioriteit %(rank)d. Kies elk accent maar één keer.")
                        % {"rank": seen[code]},
                    )
                else:
                    seen[code] = rank
        return data

    def codes(self) -> list[str | None]:
        return [self.cleaned_data.get(f"rank-{r}") or None for r in range(1, 6)]


class ConsensusItemForm(forms.Form):
    phase = forms.TypedChoiceField(
        label=_("Gezamenlijke groeifase"),
        choices=[("", _("Nog niet bepaald"))] + [(str(p), str(p)) for p in (1, 2, 3, 4)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Kies groeifase 1, 2, 3 of 4.")},
    )
    phase_to = forms.TypedChoiceField(
        label=_("Lopen fases door elkaar? Tot en met groeifase"),
        choices=[("", _("Nee, één fase"))] + [(str(p), str(p)) for p in (2, 3, 4)],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Kies groeifase 2, 3 of 4, of één fase.")},
    )
    differences = text_field(
        _("Wat we verschillend zagen"),
        _(
            "Verschillende inzichten over waar de school staat zijn gespreksstof: "
            "schrijf op wat jullie verschillend zagen."
        ),
    )
    strengths = text_field(_("Gedeelde sterke punten"))
    next_steps = text_field(_("Volgende ontwikkelstap(pen)"), _("Vul dit in als dit accent een ontwikkeldoel wordt."))
    priority = forms.TypedChoiceField(
        label=_("Prioriteit"),
        choices=[("", _("Geen"))] + [(str(p), str(p)) for p in (1, 2, 3, 4, 5)],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Kies prioriteit 1 tot en met 5, of geen.")},
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean() or self.cleaned_data
        phase, phase_to = data.get("phase"), data.get("phase_to")
        if phase_to is not None and (phase is None or phase_to <= phase):
            self.add_error(
                "phase_to",
                _(
                    "Kies eerst de laagste groeifase; 'tot en met' moet daarboven liggen "
                    "(bijvoorbeeld fase 2 tot en met 3)."
                ),
            )
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom heropen je deze ronde?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf kort op waarom; dit wordt vastgelegd.")},
    )
