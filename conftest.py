"""Shared fixtures: a small district with two townships, so scope can be tested both ways."""

import pytest


@pytest.fixture
def district(db):
    from shangliang.orgs.tests.factories import small_district

    return small_district()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SENDFILE_ROOT = str(settings.MEDIA_ROOT)  # media view: sendfile serves only below this


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none, as a new visitor would."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
