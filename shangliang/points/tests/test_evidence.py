"""Issue 13, point 6: every record behind a member's points opens for whoever reads the ledger.

The member follows each line to the record's public page when it has one, otherwise to their own
view of the line; staff who may see the record get its staff page. The member's view of a line is
as private as the ledger: another member, a resident or staff out of scope get 404.
"""

import datetime
import re

import pytest
from django.urls import reverse

from shangliang.consultations.models import Research
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.points import selectors
from shangliang.points.states import PointKind
from shangliang.points.tests.builders import planned_on
from shangliang.points.tests.conftest import YEAR
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db


def ledger_url(member):
    return reverse("points:member_ledger", args=[member.pk]) + f"?year={YEAR}"


def evidence_links(client, member) -> list[str]:
    """The links of the ledger's lines, as the page shows them."""
    response = client.get(ledger_url(member))
    assert response.status_code == 200
    table = re.search(r'<table id="ledger-lines">.*?</table>', response.content.decode(), re.S).group(0)
    return re.findall(r'href="([^"]+)"', table)


def entry_url(member, kind, pk, year=YEAR):
    return reverse("points:entry", args=[member.pk, year, kind, pk])


@pytest.fixture
def hidden_research(district, people, record):
    """王 researched for a consultation still being planned: not on any public page yet."""
    planned = planned_on(district, approved(district["a1"], "老旧小区加装电梯"))
    research = Research.objects.create(
        consultation=planned,
        researchers="王委员",
        researched_on=datetime.date(YEAR, 3, 2),
        place="电梯井旁",
        findings="住户意见不一",
        recorded_by=planned.convener,
    )
    research.members.add(people["wang"])
    return research


def test_every_evidence_link_a_member_sees_opens_for_them(client, people, loop_record, hidden_research):
    record, wang = loop_record, people["wang"]
    lines = selectors.ledger(wang, YEAR).lines
    assert {line.kind for line in lines} == set(PointKind.values)  # every kind of entry is on the ledger
    client.force_login(wang.user)
    links = evidence_links(client, wang)
    assert len(links) == len(lines) == 11
    for link in links:
        assert client.get(link).status_code == 200, link
    first = record["first"]
    # Public pages where there are some, the member's own view of the line otherwise; no staff page.
    assert reverse("consultations:public_page", args=[first.pk]) in links
    assert reverse("consultations:public_page", args=[record["second"].pk]) in links
    assert reverse("outcomes_public:result", args=[first.pk]) in links
    assert reverse("topics:pool_topic", args=[record["topic"].pk]) in links
    assert entry_url(wang, PointKind.REPORT_SENT, record["proposal"].pk) in links
    assert entry_url(wang, PointKind.RESEARCH, hidden_research.pk) in links
    assert entry_url(wang, PointKind.PROBLEM_LOGGED, record["problem"].pk) in links  # the resident's matter
    assert reverse("events:public_detail", args=[record["briefing"].pk]) in links
    assert not [link for link in links if link.startswith(("/consultations/", "/outcomes/", "/topics/"))]


def test_a_member_with_the_member_role_still_gets_pages_they_may_open(client, district, people, record):
    """Members in the demo hold the 政协委员 role, which opens no staff page of the records."""
    wang = people["wang"]
    grant(wang.user, Role.MEMBER, region=district["a1"])
    client.force_login(wang.user)
    links = evidence_links(client, wang)
    assert links and all(client.get(link).status_code == 200 for link in links)


def test_the_member_view_says_what_the_entry_was_for(client, people, record, hidden_research):
    wang = people["wang"]
    client.force_login(wang.user)
    page = client.get(entry_url(wang, PointKind.RESEARCH, hidden_research.pk)).content.decode()
    assert "参加商前调研" in page and "老旧小区加装电梯" in page and "电梯井旁" in page
    assert f"{YEAR}-03-02" in page and ">3<" in page
    proposal = record["proposal"]
    page = client.get(entry_url(wang, PointKind.REPORT_SENT, proposal.pk)).content.decode()
    assert "署名提案或社情民意信息报送" in page and proposal.title in page and "区政协" in page
    research = Research.objects.get(place="集镇东口")
    page = client.get(entry_url(wang, PointKind.RESEARCH, research.pk)).content.decode()
    assert "集镇东口" in page and "街道干部" not in page  # nobody else's name
    first = record["first"]
    page = client.get(entry_url(wang, PointKind.SESSION_SPOKE, first.pk)).content.decode()
    assert "建议划定停放点" in page  # the member's own words
    assert reverse("consultations:public_page", args=[first.pk]) in page


def test_another_member_and_people_out_of_scope_get_404_on_the_member_view(
    client, district, people, record, hidden_research
):
    wang = people["wang"]
    urls = [line.entry_url for line in selectors.ledger(wang, YEAR).lines]
    assert len(urls) == 9
    others = [
        make_user("qian_account"),
        grant(make_user("resident"), Role.RESIDENT, region=district["a1"]),
        grant(make_user("head_b"), Role.STATION_HEAD, region=district["b"]),
    ]
    people["qian"].user = others[0]
    people["qian"].save()
    for user in others:
        client.force_login(user)
        assert {client.get(url).status_code for url in urls} == {404}, user
    client.logout()
    assert client.get(urls[0]).status_code == 302
    client.force_login(grant(make_user("head_a"), Role.STATION_HEAD, region=district["a"]))
    assert {client.get(url).status_code for url in urls} == {200}


def test_a_record_that_earns_the_member_nothing_is_404(client, people, record):
    wang = people["wang"]
    client.force_login(wang.user)
    assert client.get(entry_url(wang, PointKind.SESSION_ATTENDED, record["cancelled"].pk)).status_code == 404
    assert client.get(entry_url(wang, PointKind.SUGGESTION_ADOPTED, record["returned"].pk)).status_code == 404
    assert client.get(entry_url(wang, PointKind.SESSION_ATTENDED, record["first"].pk, YEAR - 1)).status_code == 404
    assert client.get(entry_url(wang, "no_such_kind", record["first"].pk)).status_code == 404
    for year in (1999, 9999):
        assert client.get(entry_url(wang, PointKind.SESSION_ATTENDED, record["first"].pk, year)).status_code == 404
    out_of_range = entry_url(wang, PointKind.SESSION_ATTENDED, record["first"].pk).replace(f"/{YEAR}/", "/0000/")
    assert client.get(out_of_range).status_code == 404
    assert client.get(entry_url(wang, PointKind.SESSION_ATTENDED, record["first"].pk)).status_code == 200


def test_staff_who_may_see_a_record_get_its_staff_page(client, district, people, record):
    wang = people["wang"]
    client.force_login(grant(make_user("admin"), Role.ADMINISTRATOR, region=district["district"]))
    links = evidence_links(client, wang)
    assert reverse("consultations:detail", args=[record["first"].pk]) in links
    assert reverse("outcomes:report", args=[record["proposal"].pk]) in links
    assert reverse("topics:topic_detail", args=[record["topic"].pk]) in links
    for link in links:
        assert client.get(link).status_code == 200, link
