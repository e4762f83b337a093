"""core.cache.get_or_build: cached once, built again on a new key, and a broken cache never breaks the page."""

from __future__ import annotations

from django.core.cache import cache

from core import cache as core_cache


def test_builds_once_then_serves_from_the_cache():
    cache.clear()
    calls = []

    def build():
        calls.append(1)
        return {"a": len(calls)}

    assert core_cache.get_or_build("t:1", build) == {"a": 1}
    assert core_cache.get_or_build("t:1", build) == {"a": 1}
    assert len(calls) == 1
    assert core_cache.get_or_build("t:2", build) == {"a": 2}  # a new version in the key builds anew


def test_a_cache_that_fails_builds_without_it(monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(core_cache.cache, "get", boom)
    monkeypatch.setattr(core_cache.cache, "set", boom)
    assert core_cache.get_or_build("t:3", lambda: "fresh") == "fresh"
    assert "cache unavailable" in caplog.text


def test_none_is_a_value_that_is_cached():
    cache.clear()
    calls = []
    assert core_cache.get_or_build("t:4", lambda: calls.append(1)) is None
    assert core_cache.get_or_build("t:4", lambda: calls.append(1)) is None
    assert len(calls) == 1
