"""Issue 13, point 14: the dashboard's wide tables keep every column in view and print points plainly.

Without a browser here, the page is checked for what the layout rests on: the 各地对比 panel puts its
chart above the table (full width on a PC), the table scrolls in its wrapper with the place column
fixed (on a phone), place names stay on one line; the style sheets hold those rules.
"""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from shangliang.dashboard.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def table(body, table_id) -> str:
    return re.search(rf'<table id="{table_id}".*?</table>', body, re.S).group(0)


def test_the_comparison_table_has_the_full_width_and_a_fixed_place_column(client, world):
    client.force_login(world.convener)
    body = client.get(reverse("dashboard:index"), {"region": world.district["district"].pk, "year": YEAR})
    body = body.content.decode()
    assert '<div class="panel panel-stacked">\n  <div class="chart" id="chart-children" hidden></div>' in body
    children = table(body, "children-rows")
    assert children.startswith('<table id="children-rows" class="sticky-first">')
    assert len(re.findall(r"<th[ >]", children)) == 7
    for name in ("甲镇", "乙镇"):
        assert re.search(rf'<td class="nowrap"><a href="[^"]+">{name}</a></td>', children)
    assert '<section class="panel panel-stacked" id="station-targets">' in body


def test_the_style_sheets_hold_the_rules_the_tables_rest_on():
    dashboard = Path(finders.find("dashboard/dashboard.css")).read_text(encoding="utf-8")
    wide = dashboard[dashboard.index("@media (min-width: 900px)") :]
    assert ".panel.panel-stacked { grid-template-columns: 1fr; }" in wide[: wide.index("}\n}") + 3]
    site = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert ".nowrap { white-space: nowrap; }" in site
    assert "table.sticky-first th:first-child, table.sticky-first td:first-child { position: sticky; left: 0;" in site
    assert ".table-wrap { overflow-x: auto;" in site


def test_points_and_scores_print_without_a_trailing_zero(client, world):
    client.force_login(world.convener)
    body = client.get(reverse("dashboard:index"), {"region": world.district["district"].pk, "year": YEAR})
    body = body.content.decode()
    for table_id in ("station-rows", "ranking-rows"):
        assert not re.search(r'class="num">\d+\.0<', table(body, table_id)), table_id
