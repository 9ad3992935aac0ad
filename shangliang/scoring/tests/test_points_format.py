"""Issue 13, point 14: scores print as "61" or "61.5", never "61.0"."""

import re

import pytest
from django.urls import reverse

from shangliang.scoring.tests.test_views import _get, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_ranking_and_station_pages_print_scores_without_a_trailing_zero(client, world):  # noqa: F811
    ranking = _get(client, world["admin"], "stations").content.decode()
    assert not re.search(r'class="num">\d+\.0<', ranking)
    assert re.search(r"满分100分折合 \d+(\.\d*[1-9])? 分", ranking)
    station = _get(client, world["admin"], "station", world["a"].pk).content.decode()
    assert not re.search(r"\d\.0[（<）]", station)
    assert reverse("scoring:stations") in station
