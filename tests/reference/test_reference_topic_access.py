"""Every Naslag topic has its row in the access matrix (tests/reference/test_access_reference.py), the topics
added in issue 13 (chapter 1's results and Tabel 1.2, Bijlage 11) too."""

from __future__ import annotations

from reference.content import TOPIC_SLUGS
from tests.reference.test_access_reference import CASES, TOPICS


def test_every_topic_has_an_access_row():
    assert set(TOPICS) == set(TOPIC_SLUGS)
    ids = {c.id for c in CASES}
    for slug in ("opbrengsten", "teamtraining-ontwikkelmodel", "verdiepend-materiaal"):
        assert f"naslag-{slug}" in ids
