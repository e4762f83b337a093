"""Demo data for `make run`: a nulmeting and two yearly questionnaires at the demo school, closed, each with every
member taking part (10 people, minimum 5), filled in through the service so the tallies are real, and the scores
rising over the years (a team's own measurement, not an effect study). The demo school has one schoolleider, so
its surveys count everyone in one tally ("alle", ``Survey.by_group`` False) and show no breakdown per role group:
the results page says why."""

from . import services
from .content import load_content

# How fast each aspect grows per year in the demo: like the evaluation study, tailoring to a pupil's needs, keeping
# order, the interaction with pupils and the atmosphere in class move first; the others barely.
RATES = {"afstemmen": 1.0, "orde": 0.9, "interactie": 0.9, "sfeer": 0.8, "steun_collegas": 0.6, "balans": 0.5}


def _answers(survey, step: int, person: int) -> dict:
    """A plausible answer per item: higher each year, with a spread between people; a few "weet ik niet"."""
    answers = {}
    for group in survey.items["groups"]:
        for aspect in group["aspects"]:
            for n, item in enumerate(aspect["items"]):
                if group["kind"] == "knowledge":
                    level = min(2, max(0, step + (person + n) % 3 - 1))
                    answers[item["key"]] = ("nog_niet", "ken_ik", "pas_ik_toe")[level]
                elif (person + n) % 9 == 8:
                    answers[item["key"]] = "weet_niet"
                else:  # the aspects grow at different rates: some barely move, as in the evaluation study
                    rate = RATES.get(aspect["code"], 0.4)
                    answers[item["key"]] = str(min(5, max(1, round(2 + step * rate + (person + n) % 3 - 1))))
    return answers


def create_demo(*, school, users, lead):
    """Nulmeting 2023-2024, metingen 2024-2025 and 2025-2026; all closed."""
    load_content()
    services.do_add_own_item(
        school=school, text="Ik weet bij wie ik terecht kan na een heftig incident.", group="welzijn", acting_user=lead
    )
    people = list(users.values())
    surveys = []
    years = (("nulmeting", "2023-2024"), ("jaarlijks", "2024-2025"), ("jaarlijks", "2025-2026"))
    for step, (kind, year) in enumerate(years):
        survey = services.do_open_survey(school=school, kind=kind, school_year=year, acting_user=lead)
        for person, user in enumerate(people):
            services.do_submit_survey(
                survey=survey, user=user, answers=_answers(survey, step, person), acting_user=user
            )
        surveys.append(services.do_close_survey(survey=survey, acting_user=lead))
    return surveys
