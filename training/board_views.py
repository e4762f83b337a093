"""A board's training for new staff across schools (handbook 4.3.4, issue 14). Thin views.

Pages under /besturen/<id>/nieuwe-medewerkers/: the board's beheerder plans (organisations.access.board_access with
"can_manage_board_training"); a read-only board member gets a 403, anyone else a 404. A session's trainers also
register its attendance (training.lookups.get_board_session_to_register).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import school_year_of
from core.editing import edit, form_status, post_data
from core.errors import ServiceError
from organisations import access

from . import board_services as services
from . import lookups
from .board_forms import BoardAttendanceForm, BoardGroupForm, BoardSessionForm, BoardTrainingForm
from .content import load_content
from .models import BoardAttendance, BoardTraining, BoardTrainingParticipant

NEED = "can_manage_board_training"


def _ctx(acc, **extra):
    return {"board": acc.board, "content": load_content(), **extra}


def trainings(request, board_id):
    acc = access.board_access(request.user, board_id, NEED)
    rows = list(BoardTraining.objects.filter(board=acc.board).prefetch_related("schools", "sessions"))
    counts = Counter(
        BoardTrainingParticipant.objects.filter(training__board=acc.board).values_list("training_id", flat=True)
    )
    for t in rows:
        t.n_participants = counts.get(t.pk, 0)  # type: ignore[attr-defined]  # for the template
    return render(request, "training/board_trainings.html", _ctx(acc, trainings=rows))


def training_new(request, board_id):
    acc = access.board_access(request.user, board_id, NEED)
    form = BoardTrainingForm(
        post_data(request),
        board=acc.board,
        new=True,
        initial={"title": _("Training nieuwe medewerkers"), "school_year": school_year_of(timezone.localdate())},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            training = services.do_create_board_training(
                board=acc.board,
                title=d["title"].strip(),
                school_year=d["school_year"],
                schools=d["schools"],
                acting_user=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De training is gemaakt. Kies nu de nieuwe medewerkers en plan de sessies."))
            return redirect("training:board_training", board_id=acc.board.pk, training_id=training.pk)
    return render(request, "training/board_training_form.html", _ctx(acc, form=form), status=form_status(request))


def training_detail(request, board_id, training_id):
    acc = access.board_access(request.user, board_id, NEED)
    training = lookups.get_board_training(acc, training_id)
    schools = list(training.schools.order_by("name", "id"))
    groups = list(training.groups.all())
    participants = list(
        BoardTrainingParticipant.objects.filter(training=training).select_related("membership__user", "group")
    )
    sessions = list(
        training.sessions.select_related("group").prefetch_related("trainers").order_by("date", "start_time", "id")
    )
    marks = Counter(
        BoardAttendance.objects.filter(session__training=training).values_list("session_id", "status").order_by()
    )
    by_school: defaultdict[int, list] = defaultdict(list)
    by_group: Counter[int] = Counter()
    for p in sorted(participants, key=lambda p: (p.membership.user.display_name.lower(), p.pk)):
        by_school[p.membership.school_id].append(p)
        by_group[p.group_id] += 1
    for s in sessions:
        expected = by_group[s.group_id] if s.group_id else len(participants)
        s.n_expected = expected  # type: ignore[attr-defined]  # for the template
        s.n_present = marks[(s.pk, "aanwezig")]  # type: ignore[attr-defined]
        s.n_marked = sum(marks[(s.pk, st)] for st in ("aanwezig", "afwezig", "afgemeld"))  # type: ignore[attr-defined]
    for g in groups:
        g.n_participants = by_group[g.pk]  # type: ignore[attr-defined]
    school_rows = [(school, by_school.get(school.pk, [])) for school in schools]
    return render(
        request,
        "training/board_training.html",
        _ctx(
            acc,
            training=training,
            school_rows=school_rows,
            groups=groups,
            sessions=sessions,
            n_participants=len(participants),
            today=timezone.localdate(),
        ),
    )


def training_edit(request, board_id, training_id):
    acc = access.board_access(request.user, board_id, NEED)
    training = lookups.get_board_training(acc, training_id)
    initial = {"title": training.title, "schools": list(training.schools.all()), "version": training.version}
    form = BoardTrainingForm(post_data(request), board=acc.board, initial=initial)

    def done(_saved):
        messages.success(request, _("De training is bijgewerkt."))
        return redirect("training:board_training", board_id=acc.board.pk, training_id=training.pk)

    return edit(
        request,
        form,
        training,
        save=lambda version: services.do_update_board_training(
            training=training,
            title=form.cleaned_data["title"].strip(),
            schools=form.cleaned_data["schools"],
            expected_version=version,
            acting_user=request.user,
        ),
        fields=("title",),
        template="training/board_training_form.html",
        context=lambda conflict: _ctx(acc, form=form, training=training, conflict=conflict),
        done=done,
    )


def _group_form(request, acc, training, group):
    candidates = services.candidates_by_school(training)
    current = []
    if group is not None:
        current = list(group.participants.select_related("membership__user", "membership__school"))
    others = set(
        BoardTrainingParticipant.objects.filter(training=training)
        .exclude(group=group)
        .values_list("membership_id", flat=True)
    )
    listed = []
    for school, plan, people in candidates:
        mine = [p.membership for p in current if p.membership.school_id == school.pk]
        seen = {m.pk for m in mine}
        people = mine + [m for m in people if m.pk not in seen and m.pk not in others]
        people.sort(key=lambda m: (m.user.display_name.lower(), m.pk))
        listed.append((school, plan, people))
    initial = {}
    if group is not None:
        initial = {"name": group.name, "members": [p.membership_id for p in current]}
    form = BoardGroupForm(post_data(request), candidates=listed, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.do_save_board_group(
                training=training,
                group=group,
                name=form.cleaned_data["name"].strip(),
                memberships=form.cleaned_data["members"],
                acting_user=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Groep %(name)s is opgeslagen.") % {"name": saved.name})
            return redirect(reverse("training:board_training", args=[acc.board.pk, training.pk]) + "#groepen")
    return render(
        request,
        "training/board_group_form.html",
        _ctx(acc, form=form, training=training, group=group),
        status=form_status(request),
    )


def group_new(request, board_id, training_id):
    acc = access.board_access(request.user, board_id, NEED)
    training = lookups.get_board_training(acc, training_id)
    return _group_form(request, acc, training, None)


def group_edit(request, board_id, board_group_id):
    acc = access.board_access(request.user, board_id, NEED)
    group = lookups.get_board_group(acc, board_group_id)
    return _group_form(request, acc, group.training, group)


def session_new(request, board_id, training_id):
    acc = access.board_access(request.user, board_id, NEED)
    training = lookups.get_board_training(acc, training_id)
    form = BoardSessionForm(post_data(request), training=training, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_create_board_session(
                training=training,
                kind=form.cleaned_data["kind"],
                trainers=form.cleaned_data["trainers"],
                acting_user=request.user,
                **form.session_fields(),
            )
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De sessie is toegevoegd."))
            return redirect(reverse("training:board_training", args=[acc.board.pk, training.pk]) + "#sessies")
    return render(
        request,
        "training/board_session_form.html",
        _ctx(acc, form=form, training=training),
        status=form_status(request),
    )


def session_edit(request, board_id, board_session_id):
    acc = access.board_access(request.user, board_id, NEED)
    session = lookups.get_board_session(acc, board_session_id)
    initial = {f: getattr(session, f) for f in ("title", "date", "start_time", "end_time", "location")}
    initial |= {"group": session.group_id, "trainers": list(session.trainers.all()), "version": session.version}
    form = BoardSessionForm(post_data(request), training=session.training, initial=initial)

    def done(_saved):
        messages.success(request, _("De sessie is bijgewerkt."))
        return redirect(reverse("training:board_training", args=[acc.board.pk, session.training_id]) + "#sessies")

    return edit(
        request,
        form,
        session,
        save=lambda version: services.do_update_board_session(
            session=session,
            expected_version=version,
            trainers=form.cleaned_data["trainers"],
            acting_user=request.user,
            **form.session_fields(),
        ),
        fields=services.SESSION_FIELDS,
        template="training/board_session_form.html",
        context=lambda conflict: _ctx(acc, form=form, training=session.training, session=session, conflict=conflict),
        done=done,
    )


def session_delete(request, board_id, board_session_id):
    acc = access.board_access(request.user, board_id, NEED)
    session = lookups.get_board_session(acc, board_session_id)
    if request.method == "POST":
        services.do_delete_board_session(session=session, acting_user=request.user)
        messages.success(request, _("De sessie is verwijderd."))
        return redirect(reverse("training:board_training", args=[acc.board.pk, session.training_id]) + "#sessies")
    n_marks = BoardAttendance.objects.filter(session=session).count()
    return render(
        request,
        "training/board_session_delete.html",
        _ctx(acc, session=session, training=session.training, n_marks=n_marks),
    )


def attendance(request, board_id, board_session_id):
    session, planner = lookups.get_board_session_to_register(request.user, board_id, board_session_id)
    participants = services.board_roster(session)
    marks = dict(BoardAttendance.objects.filter(session=session).values_list("participant_id", "status"))
    form = BoardAttendanceForm(post_data(request), participants=participants, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_board_attendance(session=session, marks=form.marks(), acting_user=request.user)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De aanwezigheid is opgeslagen."))
            board_id = session.training.board_id
            return redirect("training:board_attendance", board_id=board_id, board_session_id=session.pk)
    counts = Counter(marks.values())
    return render(
        request,
        "training/board_attendance.html",
        {
            "board": session.training.board,
            "training": session.training,
            "session": session,
            "planner": planner,
            "form": form,
            "counts": counts,
            "n_people": len(participants),
        },
        status=form_status(request),
    )
