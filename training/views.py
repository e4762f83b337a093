"""The team training plan: plans, sessions, groups, attendance, werkmoment preparation. Thin views."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.dates import school_year_of
from core.editing import edit, form_status, post_data
from core.errors import ServiceError
from organisations import access

from . import lookups, services
from .board_services import school_board_sessions
from .content import load_content
from .forms import (
    AttendanceForm,
    GroupDeleteForm,
    GroupForm,
    PlanForm,
    ReflectionForm,
    SessionForm,
    SignupForm,
    TopicForm,
)
from .models import Attendance, Topic, TrainingPlan
from .overview import build_overview, module_label


def _ctx(acc, **extra):
    return access.school_context(acc, content=load_content(), **extra)


def overview(request, school_id):
    acc = access.school_access(request, school_id, "can_view_training")
    plans = list(TrainingPlan.objects.filter(school=acc.school).order_by("-school_year"))
    # "Via het bestuur": this school's new staff in a board's training (issue 14); organisers and trainers see
    # all of them, everyone else only their own sessions.
    only_user = None if acc.can_take_attendance else request.user
    via_board = school_board_sessions(acc.school, only_user=only_user)
    return render(request, "training/overview.html", _ctx(acc, plans=plans, via_board=via_board))


def plan_new(request, school_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    taken = set(TrainingPlan.objects.filter(school=acc.school).values_list("school_year", flat=True))
    year = school_year_of(timezone.localdate())
    while year in taken:
        year += 1
    form = PlanForm(post_data(request), initial={"school_year": year, "combine_34": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = services.do_create_plan(
                school=acc.school,
                school_year=d["school_year"],
                module1_date=d["module1_date"],
                combine_34=d["combine_34"],
                acting_user=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Het trainingsplan is gemaakt. Pas de data aan de jaarkalender van de school aan.")
            )
            return redirect("training:plan", school_id=acc.school.pk, plan_id=plan.pk)
    return render(request, "training/plan_form.html", _ctx(acc, form=form), status=form_status(request))


def plan_detail(request, school_id, plan_id):
    acc = access.school_access(request, school_id, "can_view_training")
    plan = lookups.get_training_plan(acc, plan_id)
    sessions = list(
        plan.sessions.select_related("group").prefetch_related("trainers").order_by("date", "start_time", "id")
    )
    groups = list(plan.groups.prefetch_related("members", "trainers"))
    for group in groups:
        group.warnings = services.group_warnings(len(group.members.all()), len(group.trainers.all()))
    return render(request, "training/plan.html", _ctx(acc, plan=plan, sessions=sessions, groups=groups))


def session_new(request, school_id, plan_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    plan = lookups.get_training_plan(acc, plan_id)
    form = SessionForm(post_data(request), plan=plan, new=True, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.do_create_session(
                plan=plan,
                kind=form.cleaned_data["kind"],
                trainers=form.cleaned_data["trainers"],
                acting_user=request.user,
                **form.session_fields(),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De sessie is toegevoegd."))
            return redirect("training:session", school_id=acc.school.pk, session_id=session.pk)
    return render(request, "training/session_form.html", _ctx(acc, form=form, plan=plan), status=form_status(request))


def session_detail(request, school_id, session_id):
    acc = access.school_access(request, school_id, "can_view_training")
    session = lookups.get_training_session(acc, session_id)
    topics = []
    previous_training = None
    if session.is_werkmoment:
        earlier = session.plan.sessions.filter(date__lt=session.date).order_by("-date", "-start_time")
        previous_training = next((s for s in earlier if s.content_kind and s.content_kind.training), None)
        topics = list(Topic.objects.filter(session=session).prefetch_related("signups"))
        for topic in topics:
            people = list(topic.signups.all())
            topic.people = people  # type: ignore[attr-defined]  # for the template
            topic.mine = any(p.pk == request.user.pk for p in people)  # type: ignore[attr-defined]  # for the template
    return render(
        request,
        "training/session_detail.html",
        _ctx(
            acc,
            session=session,
            plan=session.plan,
            trainers=list(session.trainers.all()),
            topics=topics,
            previous_training=previous_training,
            topic_form=TopicForm(),
            reflection_form=ReflectionForm(),
        ),
    )


def session_edit(request, school_id, session_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    session = lookups.get_training_session(acc, session_id)
    initial = {f: getattr(session, f) for f in ("title", "date", "start_time", "end_time", "location")}
    initial |= {"group": session.group_id, "trainers": list(session.trainers.all()), "version": session.version}
    form = SessionForm(post_data(request), plan=session.plan, initial=initial)

    def done(_saved):
        messages.success(request, _("De sessie is bijgewerkt."))
        return redirect("training:session", school_id=acc.school.pk, session_id=session.pk)

    return edit(
        request,
        form,
        session,
        save=lambda version: services.do_update_session(
            session=session,
            expected_version=version,
            trainers=form.cleaned_data["trainers"],
            acting_user=request.user,
            **form.session_fields(),
        ),
        fields=services.SESSION_FIELDS,
        more_rows=lambda form, saved: _people_conflict(form, "trainers", saved.trainers.all()),
        template="training/session_form.html",
        context=lambda conflict: _ctx(acc, form=form, plan=session.plan, session=session, conflict=conflict),
        done=done,
    )


def session_delete(request, school_id, session_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    session = lookups.get_training_session(acc, session_id)
    n_marks = Attendance.objects.filter(session=session).count()
    if request.method == "POST":
        plan = session.plan
        services.do_delete_session(session=session, acting_user=request.user)
        messages.success(request, _("De sessie is verwijderd."))
        return redirect("training:plan", school_id=acc.school.pk, plan_id=plan.pk)
    return render(request, "training/session_delete.html", _ctx(acc, session=session, n_marks=n_marks))


def attendance(request, school_id, session_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_take_attendance")
    session = lookups.get_training_session(acc, session_id)
    people = services.roster(session)
    marks = dict(Attendance.objects.filter(session=session).values_list("user_id", "status"))
    form = AttendanceForm(post_data(request), people=people, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_attendance(session=session, marks=form.marks(), acting_user=request.user)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De aanwezigheid is opgeslagen."))
            return redirect("training:attendance", school_id=acc.school.pk, session_id=session.pk)
    counts = {status: sum(1 for v in marks.values() if v == status) for status in ("aanwezig", "afwezig", "afgemeld")}
    return render(
        request,
        "training/attendance.html",
        _ctx(acc, session=session, plan=session.plan, form=form, counts=counts, n_people=len(people)),
        status=form_status(request),
    )


@require_POST
def send_reflection(request, school_id, session_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    session = lookups.get_training_session(acc, session_id)
    form = ReflectionForm(request.POST)
    url = request.build_absolute_uri(reverse("training:session", args=[acc.school.pk, session.pk]))
    try:
        if not form.is_valid():
            raise ServiceError(_("Er ging iets mis met het formulier. Probeer het opnieuw."))
        n = services.do_send_reflection(
            session=session, acting_user=request.user, again=form.cleaned_data["again"], session_url=url
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("De reflectievragen gaan naar %(n)d mensen: de e-mail staat in de wachtrij en gaat zo de deur uit.")
            % {"n": n},
        )
    return redirect(reverse("training:session", args=[acc.school.pk, session.pk]) + "#voorbereiding")


@require_POST
def topic_new(request, school_id, session_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    session = lookups.get_training_session(acc, session_id)
    form = TopicForm(request.POST)
    if form.is_valid():
        try:
            services.do_add_topic(session=session, title=form.cleaned_data["title"], acting_user=request.user)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Het onderwerp is toegevoegd."))
    else:
        errors = "; ".join(str(e) for e in form.errors.get("title", []))
        messages.error(request, _("Het onderwerp is niet toegevoegd: %(errors)s") % {"errors": errors})
    return redirect(reverse("training:session", args=[acc.school.pk, session.pk]) + "#onderwerpen")


@require_POST
def topic_signup(request, school_id, topic_id):
    acc = access.school_access(request, school_id, "can_view_training")
    topic = lookups.get_training_topic(acc, topic_id)
    form = SignupForm(request.POST)
    if form.is_valid():
        try:
            services.do_sign_up(topic=topic, user=request.user, signed_up=form.cleaned_data["signed_up"])
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            if form.cleaned_data["signed_up"]:
                messages.success(request, _("Je bent ingetekend op “%(t)s”.") % {"t": topic.title})
            else:
                messages.success(request, _("Je bent uitgeschreven voor “%(t)s”.") % {"t": topic.title})
    else:
        messages.error(request, _("Kies intekenen of uitschrijven."))
    return redirect(reverse("training:session", args=[acc.school.pk, topic.session_id]) + "#onderwerpen")


def group_new(request, school_id, plan_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    plan = lookups.get_training_plan(acc, plan_id)
    return _group_form(request, acc, plan, None)


def group_edit(request, school_id, group_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    group = lookups.get_training_group(acc, group_id)
    return _group_form(request, acc, group.plan, group)


def group_delete(request, school_id, group_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_manage_training")
    group = lookups.get_training_group(acc, group_id)
    sessions = list(group.sessions.order_by("date", "start_time", "id"))
    form = GroupDeleteForm(post_data(request), group=group, n_sessions=len(sessions))
    status = form_status(request)
    if request.method == "POST" and form.is_valid():
        target = form.target_group()
        try:
            moved = services.do_delete_group(group=group, move_sessions_to=target, acting_user=request.user)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Trainingsgroep %(name)s is verwijderd.") % {"name": group.name})
            if moved:
                where = target.name if target is not None else _("het hele team")
                messages.info(
                    request,
                    ngettext("%(n)d sessie is nu voor %(where)s.", "%(n)d sessies zijn nu voor %(where)s.", moved)
                    % {"n": moved, "where": where},
                )
            return redirect(reverse("training:plan", args=[acc.school.pk, group.plan_id]) + "#groepen")
    return render(
        request,
        "training/group_delete.html",
        _ctx(acc, group=group, plan=group.plan, sessions=sessions, form=form),
        status=status,
    )


def _people_conflict(form, name, saved) -> list[dict]:
    """A conflict row for a list of people (trainers, members) when the saved list and the form's differ."""
    saved, mine = list(saved), list(form.cleaned_data.get(name) or [])
    if {p.pk for p in saved} == {p.pk for p in mine}:
        return []
    return [{"label": form.fields[name].label, "saved": _names(saved), "mine": _names(mine)}]


def _names(people) -> str:
    return ", ".join(sorted(p.display_name for p in people))


def _group_form(request, acc, plan, group):
    initial = {}
    if group is not None:
        initial = {
            "name": group.name,
            "members": list(group.members.all()),
            "trainers": list(group.trainers.all()),
            "version": group.version,
        }
    form = GroupForm(post_data(request), plan=plan, initial=initial)

    def save(version):
        d = form.cleaned_data
        return services.do_save_group(
            plan=plan,
            group=group,
            name=d["name"].strip(),
            members=d["members"],
            trainers=d["trainers"],
            expected_version=version,
            acting_user=request.user,
        )

    def people_rows(form, saved) -> list[dict]:
        return _people_conflict(form, "members", saved.members.all()) + _people_conflict(
            form, "trainers", saved.trainers.all()
        )

    def done(saved):
        warnings = services.group_warnings(saved.members.count(), saved.trainers.count())
        messages.success(request, _("De trainingsgroep is opgeslagen."))
        for warning in warnings:
            messages.warning(request, warning)
        return redirect(reverse("training:plan", args=[acc.school.pk, plan.pk]) + "#groepen")

    return edit(
        request,
        form,
        group,
        save=save,
        fields=("name",),
        more_rows=people_rows,
        template="training/group_form.html",
        context=lambda conflict: _ctx(acc, form=form, plan=plan, group=group, conflict=conflict),
        done=done,
    )


def missed(request, school_id, plan_id):
    acc = access.school_access(request, school_id, "can_view_training", "can_take_attendance")
    plan = lookups.get_training_plan(acc, plan_id)
    data = build_overview(plan)
    for row in data.people:
        row.module_labels = [module_label(u) for u in row.missing_modules]
        row.board_labels = [module_label(u) for u in sorted(row.board_units)]
    return render(request, "training/missed.html", _ctx(acc, plan=plan, overview=data))
