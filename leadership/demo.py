"""Demo data for `make run`: a checklist round at the demo school, two own items, some answers and agreements."""

from . import services


def create_demo(*, school, lead):
    """The schoolleider has started this year's round and filled in part of the checklist."""
    round_ = services.do_start_round(school=school, title="Schooljaar 2026-2027", acting_user=lead)
    own = [
        services.do_add_item(school=school, text=text, acting_user=lead)
        for text in (
            "Ik bespreek de werkbalans in elk functioneringsgesprek.",
            "Ik maak tijd vrij voor de werkgroep TSO om te overleggen.",
        )
    ]
    services.do_save_answers(round_=round_, answers={"hb1": 4, "hb2": 2, own[1].key: 5}, acting_user=lead)
    services.do_save_note(
        round_=round_,
        question_code="2d",
        text="Rol van leidinggevenden: zelf het goede voorbeeld geven in zelfzorg.",
        expected_version=0,
        acting_user=lead,
    )
    return round_
