"""One count of consultations held for a township and a year: the dashboard, the stations' assessment
and the annual report give the same number, from the same consultations.

甲镇 this year, by hand: held are the one in session, the one held (closed, minutes being written)
and the concluded one: 3. Not held: planned, notified, cancelled, archived. Not this year's: one
concluded last year (held then). Not 甲镇's: one concluded in 乙镇.
"""

import datetime

import pytest
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Consultation
from shangliang.consultations.tests.builders import in_session, notified, planned
from shangliang.dashboard import report, selectors
from shangliang.dashboard.selectors import Scope
from shangliang.outcomes.tests.builders import concluded
from shangliang.scoring.selectors import station_records, station_scores
from shangliang.scoring.tests.builders import held

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def township(district):
    """甲镇 with a consultation in every state, and the consultations around it that must not count."""
    a1, a2, b1 = district["a1"], district["a2"], district["b1"]
    planned({"a1": a1}, title="规划中的议题")
    notified({"a1": a1}, title="已通知的议题")
    cancelled = notified({"a1": a2}, title="取消的议题")
    consultation_services.consultation_cancel(actor=cancelled.convener, consultation=cancelled, reason="天气原因")
    archived = concluded({"a1": a1}, title="归档的议题")
    Consultation.objects.filter(pk=archived.pk).update(is_archived=True)
    held(a1, datetime.date(YEAR - 1, 12, 20), title="上一年的议题")
    concluded({"a1": b1}, title="乙镇的议题")

    opened = in_session({"a1": a1}, title="协商中的议题")
    closed = in_session({"a1": a2}, title="已召开的议题")
    closed = consultation_services.session_close(actor=closed.convener, consultation=closed)
    agreed = concluded({"a1": a2}, title="已形成意见的议题")
    return {"region": district["a"], "district": district["district"], "held": {opened.pk, closed.pk, agreed.pk}}


def test_dashboard_assessment_and_annual_report_count_the_same_consultations_held(township):
    region, expected = township["region"], township["held"]
    scope = Scope.for_year(YEAR, region=region)

    on_dashboard = selectors.consultation_figures(scope).total
    behind_it = set(selectors.records(scope, "consultations").values_list("pk", flat=True))
    in_district = {
        row.region.pk: row.consultations
        for row in selectors.children_comparison(
            Scope.for_year(YEAR, region=township["district"]), timezone.localdate()
        )
    }[region.pk]

    station = {row.township.pk: row for row in station_scores(YEAR, township["district"])}[region.pk]
    assessed = {c.pk for c in station_records(YEAR, region).consultations}

    annual = report.annual_report(scope)
    tables = {table.heading: table.rows for table in annual.tables}
    reported = dict(tables["协商开展情况"])["开展协商（次）"]
    stations_row = tables["联络站年度目标完成情况"][0]

    assert behind_it == assessed == expected
    assert on_dashboard == in_district == station.held == len(expected) == 3
    assert reported == "3" and "开展协商3次" in annual.summary
    assert stations_row[1] == region.name and stations_row[2] == f"3/{station.min_consultations}"


def test_a_consultation_counts_in_the_year_its_session_opened(township):
    region = township["region"]
    last_year = Scope.for_year(YEAR - 1, region=region)
    station = {row.township.pk: row for row in station_scores(YEAR - 1, region)}[region.pk]
    assert selectors.consultation_figures(last_year).total == station.held == 1
