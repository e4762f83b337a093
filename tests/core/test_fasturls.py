"""core.fasturls: fast_reverse and `{% load fasturls %}`'s `{% url %}` give exactly what reverse() and Django's tag
give, for every URL of the project, and raise what they raise."""

from __future__ import annotations

import uuid

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

from core import fasturls
from core.fasturls import fast_reverse
from tests.test_access import url_patterns

SAMPLES = {
    IntConverter: [0, 1, 7, 51, 12345, 7_310_000_000_001, 2**63 - 1],
    StringConverter: ["1", "3A", "prioriteiten", "indienen", "2.3", "groeilaag-1", "a b", "é", "51"],
    SlugConverter: ["een-slug", "x"],
    PathConverter: ["a/b", "c"],
    UUIDConverter: [uuid.UUID(int=5)],
}


def _argument_sets(pattern):
    converters = list(pattern.pattern.converters.values())
    if any(type(c) not in SAMPLES for c in converters):
        return []
    sets = []
    for i in range(4):
        sets.append([SAMPLES[type(c)][(i + n) % len(SAMPLES[type(c)])] for n, c in enumerate(converters)])
    return sets


def named_patterns():
    return [(f"{ns}:{name}" if ns else name, p) for ns, name, p in url_patterns() if name]


def test_every_url_of_the_project_the_same_as_reverse(db):
    fasturls.clear()
    checked = 0
    for name, pattern in named_patterns():
        for args in _argument_sets(pattern):
            try:
                expected = reverse(name, args=args)
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    fast_reverse(name, args)
                continue
            for _ in range(2):  # the second time from what the first remembered
                assert fast_reverse(name, args) == expected, (name, args)
            checked += 1
    assert checked > 200
    substituted = [key for key, parts in fasturls._cache.items() if isinstance(parts, tuple) and None in key[-1]]
    assert len(substituted) > 100  # most of them really by putting in the digits


def test_arguments_it_does_not_take_go_to_reverse(db):
    name = "organisations:school"
    for args in ([-1], [True], [1.5], ["x" * 100], [None]):
        try:
            expected = reverse(name, args=args)
        except NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                fast_reverse(name, args)
        else:
            assert fast_reverse(name, args) == expected
    with pytest.raises(NoReverseMatch):
        fast_reverse("organisations:school", [1, 2])
    with pytest.raises(NoReverseMatch):
        fast_reverse("bestaat:niet", [1])


def test_a_pattern_that_takes_only_some_digits_is_left_to_reverse(db, settings):
    """A regular expression like [0-9]{4} accepts a year, not any number: never substituted."""
    from django.urls import clear_url_caches, path, re_path

    from groeiwijzer import urls as project_urls

    settings.ROOT_URLCONF = type(
        "Urls",
        (),
        {
            "urlpatterns": [
                re_path(r"^jaar/(?P<year>[0-9]{4})/$", lambda r: None, name="year"),
                path("nr/<int:n>/", lambda r: None, name="nr"),
            ]
            + project_urls.urlpatterns
        },
    )
    clear_url_caches()
    fasturls.clear()
    try:
        assert fast_reverse("year", [2026]) == "/jaar/2026/"
        with pytest.raises(NoReverseMatch):
            fast_reverse("year", [12345])
        assert fast_reverse("nr", [12345]) == "/nr/12345/"
        assert fasturls._cache[("year", settings.ROOT_URLCONF, "/", None, (None,))] is fasturls._UNSAFE
    finally:
        clear_url_caches()
        fasturls.clear()


def test_the_template_tag_renders_what_djangos_renders(db):
    request = RequestFactory().get("/")
    context = {"school": 3, "round": 41, "step": "3A", "request": request}
    pairs = [
        ("{% url 'assessments:fill_step' school round step %}", None),
        ("{% url 'organisations:school' school as link %}[{{ link }}]", None),
        ("{% url 'bestaat:niet' school as link %}[{{ link }}]", None),  # 'as' swallows a missing URL, as Django's
        ("{% url 'organisations:school' school_id=school %}", None),  # keyword arguments: Django's own reverse
        ('{% url "home" %}', None),
    ]
    for source, _ in pairs:
        django = Template("{% load i18n %}" + source).render(Context(context))
        fast = Template("{% load fasturls %}" + source).render(Context(context))
        assert fast == django, source
    with pytest.raises(NoReverseMatch):
        Template("{% load fasturls %}{% url 'bestaat:niet' 1 %}").render(Context(context))


def test_a_link_function_for_many_rows(db):
    from core.fasturls import url_function

    school_link, result_link = url_function("organisations:school", 1), url_function("assessments:result", 2)
    for pk in (1, 7, 12345):
        assert school_link(pk) == reverse("organisations:school", args=[pk])
        assert result_link(pk, pk + 1) == reverse("assessments:result", args=[pk, pk + 1])
    with pytest.raises(NoReverseMatch):
        school_link(-1)
