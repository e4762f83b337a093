"""Demo route for `make run`: dated from the demo training plan's first module; what lies in the past is done."""

from datetime import timedelta

from django.utils import timezone

from . import services
from .models import StepStatus


def create_demo(school, users, *, training_start) -> None:
    """The route from the team training's first module (the training plan's demo); steps that are past are done."""
    k = users["kartrekker"]
    today = timezone.localdate()
    trajectory = services.do_start_trajectory(
        school=school, training_start=training_start, acting_user=users["schoolleider"]
    )
    owners = {
        "verkennend-voorgesprek": users["schoolleider"],
        "werving-kartrekker": users["schoolleider"],
        "training-kartrekker": k,
        "introductiepresentatie": users["intern-trainer"],
        "werkgroep-samenstellen": k,
        "tijd-faciliteren": users["schoolleider"],
        "praktisch-voorgesprek": k,
        "training-voorbereiden": users["trainer"],
        "teamtraining": users["trainer"],
        "plan-presenteren": users["werkgroep1"],
        "actieplan-uitvoeren": k,
    }
    notes = {
        "verkennend-voorgesprek": "Besluit: Go. Team heeft draagkracht; starten na de zomer.",
        "tijd-faciliteren": "Kartrekkers 30 uur, werkgroepleden 20 uur in de normjaartaak.",
    }
    for step in trajectory.steps.order_by("start_date", "id"):
        done = step.due_date < today - timedelta(days=14) and step.code != "tijd-faciliteren"
        status = StepStatus.DONE if done else StepStatus.OPEN
        if step.code == "werving-kartrekker":
            status = StepStatus.DONE
        services.do_update_step(
            step=step,
            start_date=step.start_date,
            due_date=step.due_date,
            owner=owners.get(step.code),
            status=status,
            note=notes.get(step.code, ""),
            expected_version=None,
            acting_user=k,
        )
