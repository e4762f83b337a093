"""Issue 13, part 5.2: the training plan page shows, per module, which growth layers it serves (Tabel 1.2 of the
handbook, read from the reference content by training's template tags)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reference.content import layers_for_module
from tests.training_fixtures import make_training
from training import services
from training.content import load_content
from training.templatetags.training_tags import module_layers, module_numbers, training_module_layers


@pytest.mark.parametrize(
    ("code", "numbers", "layers"),
    [
        ("module1", (1,), (1,)),
        ("module2", (2,), (1,)),
        ("module3", (3,), (3,)),
        ("module4", (4,), (2, 3)),
        ("module34", (3, 4), (2, 3)),
        ("werkmoment1", (), ()),
        ("intro", (), ()),
        ("module9", (), ()),
        ("module", (), ()),
        ("", (), ()),
        (None, (), ()),
    ],
)
def test_module_layers_of_a_session_kind(code, numbers, layers):
    assert module_numbers(code or "") == numbers
    assert module_layers(code) == layers


def test_every_module_kind_of_the_training_content_has_layers():
    for kind in load_content().all_kinds:
        assert bool(module_layers(kind.code)) == kind.module, kind.code


def test_the_list_per_module():
    rows = training_module_layers()
    assert [r["name"].split(":")[0] for r in rows] == ["Module 1", "Module 2", "Module 3", "Module 4"]
    assert [r["layers"] for r in rows] == [layers_for_module(n) for n in (1, 2, 3, 4)]


def test_plan_page_shows_the_layers_per_module(cast, login):
    training = make_training(cast)
    client = login(cast.teamlid)
    body = client.get(reverse("training:plan", args=[cast.school.pk, training.plan.pk])).content.decode()
    assert "Welke groeilagen de modules dienen" in body
    assert "Module 1: Trauma en veerkracht bij kinderen – dient groeilaag 1" in body
    module4 = "Module 4: Samenwerking en zelfzorg &amp; op weg naar een traumasensitief onderwijsklimaat"
    assert f"{module4} – dient groeilaag 2, 3" in body
    assert reverse("reference:topic", args=["teamtraining-ontwikkelmodel"]) + "#tabel" in body
    # In the sessions table: module 1 and the combined day 3 + 4, not the werkmomenten.
    assert body.count("Dient groeilaag 1<") == 2  # module 1 and module 2
    assert body.count("Dient groeilaag 2, 3<") == 1  # module 3 + 4


def test_plan_with_module_3_and_4_apart(cast, login):
    plan = services.do_create_plan(school=cast.school, school_year=2030, combine_34=False, acting_user=cast.kartrekker)
    client = login(cast.kartrekker)
    body = client.get(reverse("training:plan", args=[cast.school.pk, plan.pk])).content.decode()
    assert body.count("Dient groeilaag 3<") == 1
    assert body.count("Dient groeilaag 2, 3<") == 1
