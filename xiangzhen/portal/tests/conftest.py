import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    """The statistics open data is cached per day: each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
