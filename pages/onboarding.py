"""'Zo begin je': the first steps of a new school (issue 14), for its schoolleiding and kartrekkers.

The first steps of phase 1 Verkennen of the handbook's phase tables (trajectory/content/traject-2023.json: the
verkennende voorgesprek and the werving of the kartrekker, their texts quoted from there with the citation), and
the two steps Groeiwijzer adds to get going (a start date for the team training, from which the route is dated, and
the team invited). Each step links to where it is done and is ticked from the data itself, so there is no state of
its own: a voorgesprek exists, as many kartrekkers as the handbook's minimum (Bijlage 2, ``minimum_count`` of the
profile's content file: two), the route is started, at least ``TEAM_MINIMUM`` people in the school or invited. One
query, whatever the size of the school.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.content import load_profile
from intake.models import Conversation
from organisations import access
from organisations.models import Invitation, Membership, School
from trajectory.content import StepContent, load_route
from trajectory.models import Trajectory

# The team counts as invited from this many people in the school (members, the schoolleiding included, and open
# invitations): more than the schoolleiding and the two kartrekkers the handbook asks for.
TEAM_MINIMUM = 5

# The route's steps of phase 1 these steps quote (trajectory content codes; never renumbered).
VOORGESPREK_STEP = "verkennend-voorgesprek"
KARTREKKER_STEP = "werving-kartrekker"


@dataclass
class OnboardingStep:
    code: str
    title: str
    done: bool
    url: str
    link_text: str
    status: str  # what the data say, e.g. "1 kartrekker"
    handbook: StepContent | None = None  # the phase table's step this one quotes, when the handbook has it
    extra_quote: str = ""  # a second verbatim text (Bijlage 2's minimum), with extra_citation
    extra_citation: str = ""
    own_text: str = ""  # Groeiwijzer's own explanation (no handbook step)
    warning: str = ""


@dataclass
class Onboarding:
    steps: list[OnboardingStep]
    phase_name: str
    phase_goal: str
    phase_citation: str
    route_citation: str

    @property
    def n_done(self) -> int:
        return sum(1 for s in self.steps if s.done)

    @property
    def all_done(self) -> bool:
        return self.n_done == len(self.steps)


@dataclass(frozen=True)
class Facts:
    has_conversation: bool
    n_kartrekkers: int
    has_route: bool
    n_people: int  # members + open invitations


def _count(queryset) -> Subquery:
    """SELECT COUNT(id) as a subquery (one row, 0 for none)."""
    return Subquery(queryset.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField())))


def fact_annotations(now) -> dict:
    """The facts as subqueries on a School queryset (also part of the school page's one query, pages/dashboard.py);
    ``now``: invitations that expire before it are no longer open."""
    return {
        "has_conversation": Exists(Conversation.objects.filter(school=OuterRef("pk"))),
        "has_route": Exists(Trajectory.objects.filter(school=OuterRef("pk"))),
        "n_kartrekkers": _count(Membership.objects.filter(school=OuterRef("pk"), is_kartrekker=True)),
        "n_members": _count(Membership.objects.filter(school=OuterRef("pk"))),
        "n_invited": _count(
            Invitation.objects.filter(school=OuterRef("pk"), accepted_at=None, revoked_at=None, expires_at__gt=now)
        ),
    }


def facts(school) -> Facts:
    """What the data say about the four steps, in one query."""
    fields = fact_annotations(timezone.now())
    return facts_from(School.objects.filter(pk=school.pk).annotate(**fields).values(*fields).get())


def facts_from(row: dict) -> Facts:
    """The facts from a row annotated with ``fact_annotations()``."""
    return Facts(
        has_conversation=row["has_conversation"],
        n_kartrekkers=row["n_kartrekkers"],
        has_route=row["has_route"],
        n_people=row["n_members"] + row["n_invited"],
    )


def enough_kartrekkers(f: Facts) -> bool:
    """As many kartrekkers as Bijlage 2 asks for at least (one alone leaves the step open, with a warning)."""
    return f.n_kartrekkers >= load_profile().minimum_count


def is_done(f: Facts) -> bool:
    return f.has_conversation and enough_kartrekkers(f) and f.has_route and f.n_people >= TEAM_MINIMUM


def build(school, f: Facts | None = None) -> Onboarding:
    f = f or facts(school)
    route = load_route()
    phase = route.phase("verkennen")
    assert phase is not None
    voorgesprek, werving = route.step(VOORGESPREK_STEP), route.step(KARTREKKER_STEP)
    assert voorgesprek is not None and werving is not None and voorgesprek.phase == werving.phase == "verkennen"
    profile = load_profile()
    pk = school.pk
    steps = [
        OnboardingStep(
            code="voorgesprek",
            title=_("Voorgesprek plannen"),
            done=f.has_conversation,
            url=reverse("intake:conversation_new", args=[pk]),
            link_text=_("Een voorgesprek vastleggen"),
            status=_("Er is een voorgesprek vastgelegd.") if f.has_conversation else _("Nog geen voorgesprek."),
            handbook=voorgesprek,
        ),
        OnboardingStep(
            code="kartrekkers",
            title=_("Kartrekkers aanwijzen"),
            done=enough_kartrekkers(f),
            url=reverse("intake:kartrekkers", args=[pk]),
            link_text=_("Naar de kartrekkers"),
            status=(
                _("%(n)d kartrekker(s) benoemd.") % {"n": f.n_kartrekkers}
                if f.n_kartrekkers
                else _("Nog geen kartrekker benoemd.")
            ),
            handbook=werving,
            extra_quote=profile.minimum_text,
            extra_citation=_("Bijlage 2: Profielschets kartrekker Traumasensitief Onderwijs"),
            warning=(
                _("Benoem er minstens %(min)d.") % {"min": profile.minimum_count}
                if 0 < f.n_kartrekkers < profile.minimum_count
                else ""
            ),
        ),
        OnboardingStep(
            code="startdatum",
            title=_("Startdatum teamtraining kiezen"),
            done=f.has_route,
            url=reverse("trajectory:overview" if f.has_route else "trajectory:start", args=[pk]),
            link_text=_("Naar het traject") if f.has_route else _("De startdatum kiezen"),
            status=_("Het traject is gepland.") if f.has_route else _("Nog geen startdatum gekozen."),
            own_text=_(
                "Het handboek plant elke stap ten opzichte van de start van de teamtraining. Kies die datum: "
                "Groeiwijzer zet dan alle stappen van de vier fases in het traject, met een datum."
            ),
        ),
        OnboardingStep(
            code="team",
            title=_("Team uitnodigen"),
            done=f.n_people >= TEAM_MINIMUM,
            url=reverse("organisations:invite", args=[pk]),
            link_text=_("Mensen uitnodigen"),
            status=_("%(n)d mensen in de school of uitgenodigd.") % {"n": f.n_people},
            own_text=_(
                "Nodig de kartrekkers, de werkgroep, de trainers en het team uit met hun werk-e-mailadres. Iedereen "
                "krijgt een e-mail met een link."
            ),
        ),
    ]
    return Onboarding(
        steps=steps,
        phase_name=phase.name,
        phase_goal=phase.goal,
        phase_citation=phase.citation,
        route_citation=route.citation,
    )


def onboarding(request, school_id):
    """The 'Zo begin je' page. After accepting an invitation (``?welkom=1``) a school that has done every step goes
    on to its dashboard."""
    acc = access.school_access(request, school_id, "is_member", "can_manage_members")
    f = facts(acc.school)
    if request.GET.get("welkom") and is_done(f):
        return redirect("organisations:school", school_id=acc.school.pk)
    return render(
        request,
        "pages/onboarding.html",
        access.school_context(acc, onboarding=build(acc.school, f), TEAM_MINIMUM=TEAM_MINIMUM),
    )
