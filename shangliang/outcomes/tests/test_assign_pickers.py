"""交办 as one action: several suggestions to one unit send one message per person naming them all; and the
searchable pickers of units (交办 lead and co-units, 报送 recipient) at the size of a real district."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations.models import Participant
from shangliang.consultations.states import ParticipantCategory
from shangliang.core.models import Delivery
from shangliang.core.senders import ConsoleSender
from shangliang.orgs.models import Unit
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import feedback
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.tests.builders import concluded, make_unit

pytestmark = pytest.mark.django_db

FOUR = ("规划电动车停放点", "安排赶集日值守", "增设临时停车标识", "开展文明停放宣传")


@pytest.fixture
def people(district):
    d = district["district"]
    return {
        "unit": make_unit(d, "区住房和城乡建设局"),
        "co_unit": make_unit(d, "区交通运输局"),
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
        "approver": grant(make_user("approver"), Role.APPROVER, region=district["a"]),
        "supervisor": grant(make_user("supervisor"), Role.SUPERVISOR, region=district["a"]),
    }


def url(name, *args):
    return reverse(f"outcomes:{name}", args=args)


def assign_data(people, **changes):
    data = {
        "lead_unit": people["unit"].pk,
        "co_units": [people["co_unit"].pk],
        "responsible_person": "王科长",
        "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "supervisor": people["supervisor"].pk,
    }
    return data | changes


def with_thirteen_reachable(consultation) -> set[str]:
    """Participants added until 13 people concerned have a mobile number; returns the numbers."""
    reachable = {r.mobile for r in feedback.recipients_of(consultation) if r.mobile}
    for n in range(13 - len(reachable)):
        Participant.objects.create(
            consultation=consultation, category=ParticipantCategory.RESIDENT, name=f"村民{n}", mobile=f"1370000{n:04d}"
        )
    reachable = {r.mobile for r in feedback.recipients_of(consultation) if r.mobile}
    assert len(reachable) == 13
    return reachable


# --- point 7: one message per person per action, naming the items ---------------------------------


def test_four_suggestions_assigned_in_one_action_send_each_person_one_text_naming_all_four(
    client, district, people, django_capture_on_commit_callbacks
):
    consultation = concluded(district, convener=people["convener"], suggestions=FOUR)
    mobiles = with_thirteen_reachable(consultation)
    first, *others = list(consultation.suggestions.all())
    client.force_login(people["approver"])
    page = client.get(url("assign", consultation.pk, first.pk))
    assert [s.text for s in page.context["form"].fields["also"].queryset.order_by("pk")] == list(FOUR[1:])
    ConsoleSender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("assign", consultation.pk, first.pk), assign_data(people, also=[s.pk for s in others])
        )
    assert response.status_code == 302
    assert Assignment.objects.count() == 4
    assert {a.lead_unit for a in Assignment.objects.all()} == {people["unit"]}
    texts = [m for m in ConsoleSender.outbox if m.channel == "sms"]
    assert sorted(m.to for m in texts) == sorted(mobiles)  # 13 texts, not 52
    for message in texts:
        for number, suggestion in enumerate(FOUR, start=1):
            assert f"{number}. {suggestion}" in message.body
        assert "区住房和城乡建设局" in message.body
    sms_rows = Delivery.objects.filter(reason__startswith="feedback.assigned:", channel="sms")
    assert sms_rows.count() == 13
    # Every channel: one row per person reached on it for this action.
    for channel in set(
        Delivery.objects.filter(reason__startswith="feedback.assigned:").values_list("channel", flat=True)
    ):
        rows = Delivery.objects.filter(reason__startswith="feedback.assigned:", channel=channel)
        assert rows.count() == rows.values("recipient").distinct().count()


def test_a_suggestion_assigned_alone_names_it_and_an_already_assigned_one_is_not_offered(
    client, district, people, django_capture_on_commit_callbacks
):
    consultation = concluded(district, convener=people["convener"], suggestions=FOUR)
    first, second, *_rest = list(consultation.suggestions.all())
    client.force_login(people["approver"])
    ConsoleSender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("assign", consultation.pk, second.pk), assign_data(people)).status_code == 302
    bodies = {m.body for m in ConsoleSender.outbox if m.channel == "sms"}
    assert len(bodies) == 1 and "2. 安排赶集日值守" in bodies.pop()
    page = client.get(url("assign", consultation.pk, first.pk))
    assert second not in page.context["form"].fields["also"].queryset
    # Ticking an item assigned meanwhile refuses the whole action, next to the field.
    response = client.post(url("assign", consultation.pk, first.pk), assign_data(people, also=[second.pk]))
    assert response.status_code == 400 and Assignment.objects.count() == 1


# --- point 15: pickers that scale -------------------------------------------------------------------


def _many_units(district, count=240):
    """A district's worth of units: departments, township offices and village committees."""
    regions = [
        (district["district"], UnitKind.GOVERNMENT_DEPARTMENT, 120),
        (district["a"], UnitKind.TOWNSHIP_GOVERNMENT, 30),
        (district["b"], UnitKind.TOWNSHIP_GOVERNMENT, 30),
        (district["a1"], UnitKind.VILLAGE_COMMITTEE, 20),
        (district["a2"], UnitKind.VILLAGE_COMMITTEE, 20),
        (district["b1"], UnitKind.VILLAGE_COMMITTEE, 20),
    ]
    Unit.objects.bulk_create(
        Unit(name=f"{region.name}单位{n:03d}", kind=kind, region=region)
        for region, kind, number in regions
        for n in range(number)
    )
    assert Unit.objects.count() >= count


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)


def test_the_assign_page_with_240_units_is_small_grouped_and_offers_the_villages_units_first(
    client, district, people, django_assert_max_num_queries
):
    consultation = concluded(district, convener=people["convener"], suggestions=FOUR)
    _many_units(district)
    client.force_login(people["approver"])
    address = url("assign", consultation.pk, consultation.suggestions.first().pk)
    # 27: one query is the check that the item was not handed to another channel (hand-offs,
    # ``consultations.safeguards.assign_refusal``), one EXISTS for the item, whatever the number of units.
    with django_assert_max_num_queries(27):
        page = client.get(address)
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < 150_000
    assert html.count('type="checkbox"') < 10  # the four suggestions at most, never one per unit
    lead, co = _select(html, "lead_unit"), _select(html, "co_units")
    assert 'data-picker="single"' in lead and 'data-picker="multiple"' in co and "multiple" in co
    assert "js/picker.js" in html
    groups = re.findall(r'<optgroup label="([^"]+)"', lead)
    assert groups[0] == "本地单位及主管部门"
    assert {"乙镇", "示范区 · 政府部门", "甲镇 · 村（社区）", "乙镇 · 村（社区）"} <= set(groups)
    assert "甲镇" not in groups  # the township's own units are all among the suggested ones
    first_group = lead.split("<optgroup")[1]
    assert 'data-suggested="1"' in first_group
    assert "甲一村单位000" in first_group and "甲镇单位000" in first_group
    assert "乙镇单位000" not in first_group and "甲二村单位000" not in first_group
    assert "示范区单位000" not in first_group
    # Each unit once per select, whatever group shows it.
    assert lead.count(">甲一村单位000<") == 1

    # The same page, posted without the script: the plain selects carry the values.
    unit = Unit.objects.get(name="乙一村单位005")
    co_units = list(Unit.objects.filter(name__in=["甲镇单位001", "示范区单位100"]))
    data = assign_data(people, lead_unit=unit.pk, co_units=[u.pk for u in co_units])
    assert client.post(address, data).status_code == 302
    created = Assignment.objects.get()
    assert created.lead_unit == unit and set(created.co_units.all()) == set(co_units)


def test_units_used_recently_come_next_and_the_report_recipient_is_a_picker(
    client, district, people, django_assert_max_num_queries
):
    consultation = concluded(district, convener=people["convener"], suggestions=FOUR)
    _many_units(district, count=200)
    first, second, *_rest = list(consultation.suggestions.all())
    used = Unit.objects.get(name="示范区单位042")
    client.force_login(people["approver"])
    assert (
        client.post(url("assign", consultation.pk, first.pk), assign_data(people, lead_unit=used.pk)).status_code == 302
    )
    html = client.get(url("assign", consultation.pk, second.pk)).content.decode()
    lead = _select(html, "lead_unit")
    groups = re.findall(r'<optgroup label="([^"]+)"', lead)
    assert groups[:2] == ["本地单位及主管部门", "最近使用"]
    recent = lead.split("<optgroup")[2]
    assert "示范区单位042" in recent and 'data-suggested="1"' in recent

    client.force_login(people["convener"])
    # 21: the members' list is read once for the signatories and once for the lead signatory (提案人), two
    # pickers over the same members (a ModelChoiceField queries on each render), whatever the number of units.
    with django_assert_max_num_queries(21):
        page = client.get(url("report_new", consultation.pk))
    recipient = _select(page.content.decode(), "recipient_unit")
    assert 'data-picker="single"' in recipient and "<optgroup" in recipient
    assert len(page.content) < 150_000
