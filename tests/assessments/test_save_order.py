"""A save that arrives late never puts older text back (Answer.save_page / save_seq, static/js/app.js).

The case seen in CI on a busy machine: the autosave after choosing "weet ik niet" was still under way when the
person typed their strengths and pressed "Opslaan en verder"; the autosave, made before the typing, was handled
last and stored an empty text. Now each save carries its page and number; an older one from the same page is
ignored. Saves from another page (another tab, another device) still count: the last one wins, as before.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Participant

PAGE = "abc123def456"


def fill_url(round_, step="1"):
    return reverse("assessments:fill_step", args=[round_.school_id, round_.pk, step])


def autosave_url(round_, step="1"):
    return reverse("assessments:fill_autosave", args=[round_.school_id, round_.pk, step])


def answer(round_, user, code="1.3"):
    return Answer.objects.get(participant__round=round_, participant__user=user, accent_code=code)


def layer_post(**overrides):
    data = {f"phase-{c}": "2" for c in ("1.1", "1.2")} | {"phase-1.3": "0", "go": "2"}
    data |= {f"strengths-{c}": "" for c in ("1.1", "1.2", "1.3")} | {f"goal-{c}": "" for c in ("1.1", "1.2", "1.3")}
    return data | overrides


def test_an_earlier_autosave_arriving_after_opslaan_en_verder_changes_nothing(cast, login):
    client = login(cast.werkgroeplid)
    r = cast.open_round
    full = layer_post(**{"strengths-1.3": "Ilse ziet rust", "save_page": PAGE, "save_seq": "3"})
    assert client.post(fill_url(r), full).status_code == 302
    late = {"phase-1.3": "0", "strengths-1.3": "", "goal-1.3": "", "save_page": PAGE, "save_seq": "1"}
    response = client.post(autosave_url(r), late, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # answered as saved: the newer text is what is stored
    a = answer(r, cast.werkgroeplid)
    assert (a.phase, a.strengths, a.save_page, a.save_seq) == (0, "Ilse ziet rust", PAGE, 3)


def test_a_later_save_of_the_same_page_and_any_save_of_another_page_count(cast, login):
    client = login(cast.werkgroeplid)
    r = cast.open_round
    client.post(autosave_url(r), {"strengths-1.3": "Eerste", "save_page": PAGE, "save_seq": "1"}, HTTP_HX_REQUEST="1")
    client.post(autosave_url(r), {"strengths-1.3": "Tweede", "save_page": PAGE, "save_seq": "2"}, HTTP_HX_REQUEST="1")
    assert answer(r, cast.werkgroeplid).strengths == "Tweede"
    other_tab = {"strengths-1.3": "Uit een ander tabblad", "save_page": "zzz999yyy888", "save_seq": "1"}
    client.post(autosave_url(r), other_tab, HTTP_HX_REQUEST="1")
    assert answer(r, cast.werkgroeplid).strengths == "Uit een ander tabblad"
    client.post(autosave_url(r), {"strengths-1.3": "Zonder volgorde"}, HTTP_HX_REQUEST="1")  # no JavaScript order
    assert answer(r, cast.werkgroeplid).strengths == "Zonder volgorde"


@pytest.mark.parametrize(
    ("page", "seq"),
    [
        ("<script>", "5"),
        ("a" * 33, "5"),
        ("ABC123DEF", "5"),
        (PAGE, "-1"),
        (PAGE, "1e9"),
        (PAGE, "9" * 13),
        (PAGE, "²"),
    ],
)
def test_odd_order_values_are_ignored_not_an_error(cast, login, page, seq):
    client = login(cast.werkgroeplid)
    r = cast.open_round
    response = client.post(
        autosave_url(r), {"strengths-1.3": "Gewoon opgeslagen", "save_page": page, "save_seq": seq}, HTTP_HX_REQUEST="1"
    )
    assert response.status_code == 200
    a = answer(r, cast.werkgroeplid)
    assert (a.strengths, a.save_page, a.save_seq) == ("Gewoon opgeslagen", "", 0)


def test_same_text_from_a_newer_save_still_moves_the_mark(cast):
    p = Participant.objects.get(round=cast.open_round, user=cast.werkgroeplid)
    fields = {"1.3": {"phase": 0, "strengths": "Rust", "goal": ""}}
    services.do_save_answers(participant=p, answers=fields, acting_user=cast.werkgroeplid, order=(PAGE, 1))
    assert services.do_save_answers(participant=p, answers=fields, acting_user=cast.werkgroeplid, order=(PAGE, 4)) == 0
    stale = {"1.3": {"phase": 0, "strengths": "", "goal": ""}}
    services.do_save_answers(participant=p, answers=stale, acting_user=cast.werkgroeplid, order=(PAGE, 2))
    assert answer(cast.open_round, cast.werkgroeplid).strengths == "Rust"


def test_priorities_keep_the_later_save(cast, login):
    client = login(cast.werkgroeplid)
    r = cast.open_round
    ranks = {"rank-1": "1.1", "rank-2": "1.2", "rank-3": "1.3", "rank-4": "2.1", "rank-5": "2.2"}
    later = ranks | {"save_page": PAGE, "save_seq": "2", "go": "indienen"}
    assert client.post(fill_url(r, "prioriteiten"), later).status_code == 302
    earlier = {"rank-1": "3A.1", "save_page": PAGE, "save_seq": "1"}
    assert client.post(autosave_url(r, "prioriteiten"), earlier, HTTP_HX_REQUEST="1").status_code == 200
    p = Participant.objects.get(round=r, user=cast.werkgroeplid)
    assert list(p.priorities.order_by("rank").values_list("accent_code", flat=True)) == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
    ]


# The leadership checklist (1-5 answers, autosaved, with a button): the same rule, per person and round -------


def test_leadership_autosave_arriving_after_the_button_changes_nothing(cast, login):
    from leadership import services as leadership_services
    from leadership.models import Answer as LeadershipAnswer

    round_ = leadership_services.do_start_round(school=cast.school, title="2026-2027", acting_user=cast.schoolleider)
    client = login(cast.schoolleider)
    url = reverse("leadership:fill", args=[cast.school.pk, round_.pk])
    later = {"hb1": "4", "hb3": "2", "save_page": PAGE, "save_seq": "2"}
    assert client.post(url, later).status_code == 302
    earlier = {"hb1": "4", "hb3": "", "save_page": PAGE, "save_seq": "1"}  # made before hb3 was chosen
    assert client.post(url, earlier, headers={"HX-Request": "true"}).status_code == 200
    mine = dict(LeadershipAnswer.objects.filter(round=round_, user=cast.schoolleider).values_list("item_key", "value"))
    assert mine == {"hb1": 4, "hb3": 2}
    # Another page (tab) counts: the last save wins.
    other = {"hb1": "4", "hb3": "", "save_page": "zzz999yyy888", "save_seq": "1"}
    client.post(url, other, headers={"HX-Request": "true"})
    mine = dict(LeadershipAnswer.objects.filter(round=round_, user=cast.schoolleider).values_list("item_key", "value"))
    assert mine == {"hb1": 4}
