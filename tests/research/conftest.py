import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The benchmark's figures are cached (research.benchmark.peer_counts): each test starts without them."""
    cache.clear()
    yield
    cache.clear()
