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
