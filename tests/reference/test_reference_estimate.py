"""'Wat betekent dit voor onze school': the pure estimate (reference/estimate.py), with made-up and real figures."""

from __future__ import annotations

import pytest

from reference.content import Figure, figures
from reference.estimate import (
    GENERAL_TYPE,
    MAX_PUPILS,
    estimate,
    share_ceil,
    share_floor,
    share_round,
    validate_pupil_count,
)


def fig(code, percent, measure="vier_of_meer", types=("bo",), cluster=None):
    return Figure(
        code=code, study="s", measure=measure, percent=percent, school_types=types, cluster=cluster, quote=str(percent)
    )


@pytest.mark.parametrize(
    ("pupils", "percent", "floor", "ceil", "rounded"),
    [
        (320, 7, 22, 23, 22),  # 22.4
        (50, 45, 22, 23, 23),  # 22.5: half up
        (100, 33, 33, 33, 33),  # exact
        (1, 7, 0, 1, 0),  # 0.07
        (1, 96, 0, 1, 1),
        (5000, 100, 5000, 5000, 5000),
        (5000, 0, 0, 0, 0),
        (7, 50, 3, 4, 4),  # 3.5
    ],
)
def test_rounding(pupils, percent, floor, ceil, rounded):
    assert share_floor(pupils, percent) == floor
    assert share_ceil(pupils, percent) == ceil
    assert share_round(pupils, percent) == rounded


def test_range_runs_from_lowest_to_highest_figure_rounded_outwards():
    result = estimate([fig("a", 7), fig("b", 33), fig("c", 20)], pupil_count=320, education_type="bo")
    (m,) = result.measures
    assert (m.low_percent, m.high_percent) == (7, 33)
    assert (m.low, m.high) == (22, 106)  # 22.4 down, 105.6 up
    assert [fe.figure.code for fe in m.figures] == ["a", "c", "b"]
    assert [fe.pupils for fe in m.figures] == [22, 64, 106]
    assert not m.single and not result.nearest


def test_one_percentage_is_one_number_rounded_half_up():
    (m,) = estimate([fig("a", 50)], pupil_count=200, education_type="bo").measures
    assert (m.low, m.high, m.around) == (100, 100, 100) and m.single
    (m,) = estimate([fig("a", 96)], pupil_count=110, education_type="bo").measures
    assert (m.low, m.high, m.around) == (105, 106, 106) and m.single  # 105.6
    (m,) = estimate([fig("a", 45), fig("b", 45)], pupil_count=7, education_type="bo").measures
    assert m.single and m.around == 3  # 3.15
    (m,) = estimate([fig("a", 45), fig("b", 46)], pupil_count=7, education_type="bo").measures
    assert not m.single and m.around is None and (m.low, m.high) == (3, 4)


def test_figures_in_words_only_are_shown_but_not_counted():
    words = fig("woorden", None, measure="een_of_meer")
    result = estimate([words, fig("a", 96, measure="een_of_meer")], pupil_count=100, education_type="bo")
    (m,) = result.measures
    assert (m.low, m.high) == (96, 96)
    assert [fe.figure.code for fe in m.figures] == ["a", "woorden"]
    assert m.figures[1].pupils is None
    only_words = estimate([words], pupil_count=100, education_type="bo").measures[0]
    assert (only_words.low, only_words.high, only_words.low_percent) == (None, None, None)


def test_only_figures_of_the_school_type_and_cluster():
    figs = [fig("bo", 7), fig("so", 73, types=("so", "vso")), fig("c4", 95, types=("so", "vso"), cluster=4)]
    so = estimate(figs, pupil_count=100, education_type="so", cluster=3)
    assert [fe.figure.code for fe in so.measures[0].figures] == ["so"]
    c4 = estimate(figs, pupil_count=100, education_type="vso", cluster=4)
    assert [fe.figure.code for fe in c4.measures[0].figures] == ["so", "c4"]
    no_cluster = estimate(figs, pupil_count=100, education_type="so", cluster=None)
    assert [fe.figure.code for fe in no_cluster.measures[0].figures] == ["so"]


@pytest.mark.parametrize("education_type", ["sbo", "vo", "mbo", "nieuwkomers"])
def test_missing_type_shows_the_general_figures_labelled_nearest(education_type):
    figs = [fig("bo", 7), fig("so", 73, types=("so", "vso"))]
    result = estimate(figs, pupil_count=100, education_type=education_type)
    assert result.nearest and result.used_type == GENERAL_TYPE == "bo"
    assert result.education_type == education_type
    assert [fe.figure.code for fe in result.measures[0].figures] == ["bo"]


def test_measures_without_figures_are_left_out():
    result = estimate([fig("a", 7)], pupil_count=10, education_type="bo")
    assert [m.measure for m in result.measures] == ["vier_of_meer"]


@pytest.mark.parametrize("bad", [0, -5, MAX_PUPILS + 1, 10**20, 2.5, "320", None, True])
def test_absurd_pupil_counts_are_refused(bad):
    with pytest.raises(ValueError):
        validate_pupil_count(bad)
    with pytest.raises(ValueError):
        estimate([fig("a", 7)], pupil_count=bad, education_type="bo")


# With the real figures from the content file ---------------------------------------------------------------


def test_regular_primary_school_of_320():
    result = estimate(figures(), pupil_count=320, education_type="bo")
    one, four = result.measures
    assert (one.measure, one.low_percent, one.high_percent) == ("een_of_meer", 32, 88)
    assert (one.low, one.high) == (102, 282)  # 102.4 down, 281.6 up
    assert (four.measure, four.low_percent, four.high_percent) == ("vier_of_meer", 7, 33)
    assert (four.low, four.high) == (22, 106)


def test_special_education_cluster_4():
    result = estimate(figures(), pupil_count=110, education_type="so", cluster=4)
    four = next(m for m in result.measures if m.measure == "vier_of_meer")
    assert (four.low_percent, four.high_percent) == (73, 95)  # De Berk 2021 … Orion 2025 (cluster 4)
    codes = {fe.figure.code for fe in four.figures}
    assert "orion-2025-cluster-4-vier-of-meer" in codes and "artikel-vso-meer-dan-vier" not in codes
    vso = estimate(figures(), pupil_count=110, education_type="vso", cluster=3)
    four = next(m for m in vso.measures if m.measure == "vier_of_meer")
    # Issue 13: the article's 68% is 'meer dan vier', a measure of its own, never the low end of 'vier of meer'.
    assert (four.low_percent, four.high_percent) == (73, 76)
    more_than_four = next(m for m in vso.measures if m.measure == "meer_dan_vier")
    assert (more_than_four.low_percent, more_than_four.high_percent) == (68, 68)


def test_every_school_type_gets_figures():
    from organisations.models import EducationType

    for education_type in EducationType.values:
        result = estimate(figures(), pupil_count=100, education_type=education_type)
        assert result.measures, education_type
        assert result.nearest == (education_type not in ("bo", "so", "vso"))
