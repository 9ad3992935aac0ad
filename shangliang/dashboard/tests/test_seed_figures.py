"""The seeds' own statistics (docs/figures.md) on the dashboard's small district (conftest), with marks added
here, each counted by hand; each figure equals its drill-down's rows; the pages through HTTP with refusals.

Added to the conftest world (2025):
    on the spot: a statement of C1 (甲一村) and C2's only suggestion (so C2#1, done, is not counted twice);
        a withdrawn statement marked too (not counted).
    settled directly: 路灯不亮 (甲一村, 2025-05-01), 井盖松动 (乙一村, 2025-06-01); one settled in 2024 (not counted).
    C3's third suggestion assigned to 区民政局 and done: items done = C1#1, C3#1, C3#3 (C2#1 counted on the spot).
    Solved: district 2 on the spot + 2 settled + 3 done = 7; 甲镇 2 + 1 + C1#1 = 4; 乙镇 0 + 1 + 2 = 3.
    Measures: C1#1 two (a third withdrawn) → implemented = 2 + C3#1 + C3#3 (1 each) = 4.
    C1's residents signed in: 居民0 signed up himself, 居民1 invited and answered 参加, 居民2 invited, no answer
        (signed in at the desk) → 3 attended, 2 voluntary; a unit's person signed in is not a resident.
    Sectors: 经济界 has the sector room; 教育界 and 农业界 none. One company room in 甲一村.
    Members: 委员甲 (县, 甲一村), 委员乙 (县, 乙一村), 委员丁 (市, sector room, signed in at C3 in 乙一村): 2 villages.
    Committees: 社会和法制委 signed in at C1 and C3 (met), 农业和农村委 at C2 only (not met).
    Chair council: a review of 2025's second half.
    Departments: 区城管局 items 6, returned 1, on time 3, overdue 1; ratings of C1 and C3: 2 of 4 well →
        score 100 × (0.4 × 3/5 + 0.2 × 4/5 + 0.2 × 1 + 0.2 × 0.5) = 70.0; 区民政局 1 item on time, C3's ratings
        1 of 2 → 90.0, ranked first.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import on_the_spot
from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Participant, Statement, Suggestion
from shangliang.consultations.states import ParticipantCategory, Rsvp, SignInVia
from shangliang.consultations.tests.builders import in_session
from shangliang.core.models import Delivery
from shangliang.dashboard import reviews, seed_figures, selectors
from shangliang.dashboard.models import ChairCouncilReview
from shangliang.dashboard.selectors import Scope
from shangliang.dashboard.tests.conftest import YEAR, at, done
from shangliang.orgs import services as org_services
from shangliang.orgs.models import ContactLink, Member, Platform, Sector
from shangliang.orgs.states import MemberLevel, PlatformKind, Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_platform
from shangliang.outcomes import measures
from shangliang.outcomes.models import Assignment, Measure
from shangliang.outcomes.states import AssignmentStatus
from shangliang.outcomes.tests.builders import assigned, liaison_of, make_unit
from shangliang.topics import settle
from shangliang.topics.models import Submission
from shangliang.topics.states import SubmissionStatus
from shangliang.topics.tests.builders import submit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_user(username, **fields):
    return get_user_model().objects.create(username=username, **fields)


@pytest.fixture(scope="module")
def seeded(world, django_db_blocker):
    """The marks above, added once for the module inside the world's transaction."""
    with django_db_blocker.unblock():
        d = world.district
        c = world.consultations
        convener = world.convener
        # On the spot.
        c1_people = list(c["c1"].participants.order_by("pk"))
        residents = [p for p in c1_people if p.category == ParticipantCategory.RESIDENT]
        Statement.objects.create(
            consultation=c["c1"],
            participant=residents[0],
            text="路口缺少减速带",
            recorded_by=convener,
            solved_on_spot_at=at(3, 10, 10),
            solved_by="镇交管办",
            solved_note="当场安排施工",
            solved_recorded_by=convener,
        )
        Statement.objects.create(
            consultation=c["c1"],
            participant=residents[1],
            text="记错的发言",
            recorded_by=convener,
            solved_on_spot_at=at(3, 10, 10),
            solved_by="某人",
            solved_note="某事",
            withdrawn_at=at(3, 10, 11),
        )
        Suggestion.objects.filter(consultation=c["c2"]).update(
            solved_on_spot_at=at(3, 20, 10), solved_by="村委会", solved_note="当场调派清运车"
        )
        # Settled directly.
        settle.submission_settle(
            actor=convener, submission=submit(d["a1"], "路灯不亮"), settlement="村委会当天更换灯泡", now=at(5, 1)
        )
        settle.submission_settle(
            actor=convener, submission=submit(d["b1"], "井盖松动"), settlement="村里当天加固", now=at(6, 1)
        )
        settle.submission_settle(
            actor=convener,
            submission=submit(d["a1"], "去年的小事"),
            settlement="已办",
            now=timezone.make_aware(datetime.datetime(2024, 6, 1)),
        )
        # A second department, and its item done.
        civil = make_unit(d["district"], "区民政局")
        done(assigned(c["c3"], order=2, unit=civil, actor=convener), convener)
        # Measures of C1#1.
        c1_item = Assignment.objects.get(suggestion__consultation=c["c1"], suggestion__order=1)
        measures.measure_add(
            actor=convener, assignment=c1_item, text="错峰放学", implemented_on=datetime.date(2025, 4, 1)
        )
        measures.measure_add(
            actor=convener, assignment=c1_item, text="增设护学岗", implemented_on=datetime.date(2025, 4, 2)
        )
        wrong = measures.measure_add(
            actor=convener, assignment=c1_item, text="填错了", implemented_on=datetime.date(2025, 4, 3)
        )
        measures.measure_withdraw(actor=convener, measure=wrong, reason="填重了")
        # Who came of their own will.
        signed = {"signed_in_at": at(3, 10, 9), "signed_in_via": SignInVia.STAFF}
        Participant.objects.filter(pk=residents[0].pk).update(is_voluntary=True, **signed)
        Participant.objects.filter(pk=residents[1].pk).update(rsvp=Rsvp.YES, **signed)
        Participant.objects.filter(pk=residents[2].pk).update(**signed)
        units = [p for p in c1_people if p.category == ParticipantCategory.UNIT]
        Participant.objects.filter(pk=units[0].pk).update(**signed)
        # Sectors and rooms.
        economy = Sector.objects.get(name="经济界")
        Platform.objects.filter(pk=world.platforms["ps"].pk).update(sector=economy)
        for name in ("教育界", "农业界"):
            org_services.sector_get_or_create(actor=None, name=name)
        make_platform(d["a1"], name="甲一村企业议事室", kind=PlatformKind.COMPANY_ROOM)
        # Members' levels.
        Member.objects.filter(pk=world.members["ding"].pk).update(level=MemberLevel.CITY)
        # Committees.
        law = make_unit(d["district"], "社会和法制委", kind=UnitKind.CPPCC_COMMITTEE)
        farm = make_unit(d["district"], "农业和农村委", kind=UnitKind.CPPCC_COMMITTEE)
        ContactLink.objects.create(committee=law, platform=world.platforms["pa"], started_on=datetime.date(2024, 1, 1))
        for consultation, unit in ((c["c1"], law), (c["c3"], law), (c["c2"], farm)):
            Participant.objects.create(
                consultation=consultation, category=ParticipantCategory.UNIT, name="专委会干部", unit=unit, **signed
            )
        # The chair council.
        staff = grant(make_user("seed_staff"), Role.COMMITTEE_STAFF, region=d["district"])
        reviews.review_record(
            actor=staff,
            region=d["district"],
            year=YEAR,
            half=2,
            held_on=datetime.date(YEAR, 12, 20),
            title="区政协第十次主席会议",
            reviewed="听取下半年协商议事工作情况汇报",
            decisions="年底前补齐两个村的议事室",
        )
        return {"civil": civil, "law": law, "farm": farm, "staff": staff}


@pytest.fixture
def district(world, seeded):
    return Scope.for_year(YEAR, region=world.district["district"])


@pytest.fixture
def township_a(world, seeded):
    return Scope.for_year(YEAR, region=world.district["a"])


@pytest.fixture
def township_b(world, seeded):
    return Scope.for_year(YEAR, region=world.district["b"])


def rows(scope, key, value=""):
    return list(selectors.records(scope, key, value))


# --- the figures and their drill-downs ------------------------------------------------------------------


def test_problems_solved_add_on_the_spot_settled_and_done(district, township_a, township_b):
    solved = seed_figures.problems_solved(district)
    assert (solved.on_spot_statements, solved.on_spot_suggestions, solved.settled, solved.done) == (1, 1, 2, 3)
    assert solved.total == 7
    assert selectors.outcome_figures(district, TODAY).solved == 7  # the dashboard's one definition
    assert seed_figures.problems_solved(township_a).total == 4
    assert seed_figures.problems_solved(township_b).total == 3
    assert len(rows(district, "solved")) == 7
    assert len(rows(district, "solved", "on_spot")) == 2
    assert [r.text for r in rows(district, "solved", "settled")] == ["路灯不亮", "井盖松动"]
    assert len(rows(district, "solved", "done")) == 3
    assert len(rows(township_b, "solved")) == 3
    with pytest.raises(selectors.UnknownFigure):
        rows(district, "solved", "other")


def test_outcomes_implemented_count_each_measure_or_one_per_item(district):
    figure = seed_figures.implemented(district)
    assert (figure.items, figure.measures, figure.items_without_measures, figure.total) == (3, 2, 2, 4)
    drill = rows(district, "implemented")
    assert len(drill) == 4
    assert [r.measure.text for r in drill if r.measure] == ["错峰放学", "增设护学岗"]


def test_voluntary_participation_of_residents_signed_in(district):
    figure = seed_figures.voluntary_participation(district)
    assert (figure.attended, figure.voluntary) == (3, 2)
    assert figure.rate == pytest.approx(2 / 3)
    assert len(rows(district, "voluntary")) == 3
    assert len(rows(district, "voluntary", "voluntary")) == 2
    assert [p.name for p in rows(district, "voluntary", "not_voluntary")] == ["居民2"]


def test_sector_coverage_and_company_rooms(district):
    figure = seed_figures.sector_coverage(district)
    assert figure.covered == 1
    assert figure.sectors == Sector.objects.filter(is_archived=False).count() >= 3
    assert (figure.company_rooms, figure.park_rooms) == (1, 0)
    assert [s.name for s in rows(district, "sectors", "covered")] == ["经济界"]
    assert len(rows(district, "sectors", "uncovered")) == figure.sectors - 1
    assert len(rows(district, "platforms", "company_room")) == 1


def test_members_by_level_and_villages_reached(world, district):
    reach = seed_figures.members_reach(district)
    assert reach.members == 3
    assert {value: n for value, _label, n in reach.by_level} == {"province": 0, "city": 1, "county": 2}
    by_name = {row.member.name: row.village_names for row in reach.rows}
    assert by_name == {"委员甲": ["甲一村"], "委员乙": ["乙一村"], "委员丁": ["乙一村"]}
    assert (reach.villages, reach.villages_in_scope) == (2, 3)
    assert [r.member.name for r in seed_figures.members_reach(district, MemberLevel.CITY).rows] == ["委员丁"]


def test_committees_take_part_twice_a_year(world, district, seeded):
    rows_ = {row.unit.name: row for row in seed_figures.committees(district)}
    assert (rows_["社会和法制委"].consultations, rows_["社会和法制委"].is_met) == (2, True)
    assert rows_["社会和法制委"].linked == ["甲镇协商议事室"]
    assert (rows_["农业和农村委"].consultations, rows_["农业和农村委"].is_met) == (1, False)
    assert len(rows(district, "committee", str(seeded["law"].pk))) == 2


def test_chair_council_review_of_the_half_year(world, district, township_a):
    state = seed_figures.chair_review_state(district, TODAY)
    assert (state.year, state.half, state.is_recorded) == (YEAR, 2, True)
    assert seed_figures.chair_review_state(township_a, TODAY) is None
    first_half = Scope.of(start=datetime.date(YEAR, 1, 1), end=datetime.date(YEAR, 6, 30), region=district.region)
    assert seed_figures.chair_review_state(first_half, TODAY).is_recorded is False


def test_departments_ranked_by_the_written_formula(district, seeded):
    ranked = seed_figures.department_ranking(district, TODAY)
    assert [(r.rank, r.unit.name) for r in ranked] == [(1, "区民政局"), (2, "区城管局")]
    city = ranked[1]
    assert (city.items, city.returned, city.done_on_time, city.done_late, city.overdue, city.sent_back) == (
        6,
        1,
        3,
        0,
        1,
        0,
    )
    assert (city.ratings, city.rated_well) == (4, 2)
    assert city.score == 70.0
    assert ranked[0].score == 90.0
    unit = city.unit.pk
    for what, n in (("items", 6), ("returned", 1), ("on_time", 3), ("late", 0), ("overdue", 1), ("sent_back", 0)):
        assert len(rows(district, "unit_items", f"{unit}:{what}")) == n, what


# --- pages through HTTP -----------------------------------------------------------------------------------


@pytest.fixture
def people(world, seeded):
    d = world.district
    return {
        "admin": grant(make_user("sf_admin"), Role.ADMINISTRATOR, region=d["district"]),
        "staff": seeded["staff"],
        "head_b": grant(make_user("sf_head_b"), Role.STATION_HEAD, region=d["b"]),
        "resident": grant(make_user("sf_resident"), Role.RESIDENT, region=d["a1"]),
    }


def test_dashboard_shows_the_seed_figures_with_their_drill_downs(client, world, people):
    client.force_login(people["admin"])
    response = client.get(reverse("dashboard:index"), {"region": world.district["district"].pk, "year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="seed-solved"' in page and "/dashboard/records/solved/" in page
    assert "区政协第十次主席会议" in page
    assert "社会和法制委" in page and "未达标" in page


def test_a_township_sees_only_its_own(client, world, people):
    client.force_login(people["head_b"])
    records = reverse("dashboard:records", args=["solved"])
    assert client.get(records, {"region": world.district["a"].pk, "year": YEAR}).status_code == 404
    own = client.get(records, {"region": world.district["b"].pk, "year": YEAR})
    assert own.status_code == 200
    assert own.content.decode().count("<tr data-solved=") == 3
    # The district's chair council page is not a township's.
    assert client.get(reverse("dashboard:chair_council"), {"region": world.district["b"].pk}).status_code == 404


def test_residents_and_anonymous_are_refused(client, world, people):
    url = reverse("dashboard:records", args=["implemented"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(people["resident"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("dashboard:members")).status_code == 403
    assert client.get(reverse("dashboard:departments")).status_code == 403


def test_members_page_is_the_cppcc_offices(client, world, people):
    client.force_login(people["head_b"])
    assert client.get(reverse("dashboard:members"), {"region": world.district["b"].pk}).status_code == 403
    client.force_login(people["staff"])
    response = client.get(reverse("dashboard:members"), {"region": world.district["district"].pk, "year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "委员甲" in page and "甲一村" in page
    assert client.get(reverse("dashboard:members"), {"level": "mayor"}).status_code == 404


def test_departments_page_in_a_bounded_number_of_queries(client, world, people, django_assert_max_num_queries):
    client.force_login(people["admin"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("dashboard:departments"), {"region": world.district["district"].pk, "year": YEAR})
    assert response.status_code == 200
    assert "区城管局" in response.content.decode() and "chart-departments" in response.content.decode()


def test_solved_drill_down_in_a_bounded_number_of_queries(client, world, people, django_assert_max_num_queries):
    client.force_login(people["admin"])
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("dashboard:records", args=["solved"]), {"region": world.district["district"].pk, "year": YEAR}
        )
    assert response.content.decode().count("<tr data-solved=") == 7


def test_committee_staff_record_the_chair_council_review(client, world, people):
    url = reverse("dashboard:chair_council")
    half = seed_figures.half_of(TODAY)
    data = {
        "year": TODAY.year,
        "half": half,
        "held_on": TODAY.isoformat(),
        "title": "区政协第十一次主席会议",
        "reviewed": "听取上半年工作汇报",
        "decisions": "补充两名专职人员",
    }
    client.force_login(people["head_b"])
    assert client.post(f"{url}?region={world.district['district'].pk}", data).status_code == 404
    reader = grant(make_user("sf_supervisor"), Role.SUPERVISOR, region=world.district["district"])
    client.force_login(reader)
    assert client.post(f"{url}?region={world.district['district'].pk}", data).status_code == 403
    client.force_login(people["staff"])
    missing = client.post(f"{url}?region={world.district['district'].pk}", {**data, "decisions": ""})
    assert missing.status_code == 400
    response = client.post(f"{url}?region={world.district['district'].pk}", data)
    assert response.status_code == 302
    review = ChairCouncilReview.objects.get(title="区政协第十一次主席会议")
    assert (review.year, review.half, review.recorded_by) == (TODAY.year, half, people["staff"])
    assert review.history.get().history_change_reason == "chair_review.recorded"
    page = client.get(f"{url}?region={world.district['district'].pk}").content.decode()
    assert "区政协第十一次主席会议" in page


# --- the records behind the figures, through their own screens ------------------------------------------------


def test_a_submission_settled_directly_leaves_the_queue_and_the_resident_is_told(client, world, seeded):
    d = world.district
    convener_a = grant(make_user("sf_conv_a"), Role.CONVENER, region=d["a1"])
    convener_b = grant(make_user("sf_conv_b"), Role.CONVENER, region=d["b1"])
    submission = submit(
        d["a1"], "楼道灯坏了", is_anonymous=False, submitter_name="张大爷", submitter_mobile="13900007777"
    )
    url = reverse("topics:submission_settle", args=[submission.pk])
    client.force_login(convener_b)
    assert client.post(url, {"settlement": "已修"}).status_code == 404
    client.force_login(convener_a)
    assert client.post(url, {"settlement": " "}).status_code == 400
    assert client.post(url, {"settlement": "村委会电工当天换了灯泡"}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SETTLED and submission.settled_at is not None
    assert Delivery.objects.filter(reason=f"submission.settled:{submission.pk}", recipient="13900007777").exists()
    track = client.get(reverse("topics:track_detail", args=[submission.tracking_code])).content.decode()
    assert "已直接解决" in track and "村委会电工当天换了灯泡" in track
    # Settled once: a second time is refused with the state as it stands.
    assert client.post(url, {"settlement": "再来一次"}).status_code == 302
    assert Submission.objects.get(pk=submission.pk).settlement == "村委会电工当天换了灯泡"


def test_measures_are_recorded_by_the_units_liaison_and_withdrawn_not_deleted(client, world, seeded):
    c = world.consultations
    item = Assignment.objects.get(suggestion__consultation=c["c3"], suggestion__order=1, status=AssignmentStatus.DONE)
    open_item = Assignment.objects.get(suggestion__consultation=c["c4"])
    liaison = liaison_of(item.lead_unit, "sf_liaison")
    other = liaison_of(seeded["civil"], "sf_other_liaison")
    add = reverse("outcomes:measure_add", args=[item.pk])
    client.force_login(other)
    assert client.post(add, {"text": "新增助餐点1个", "implemented_on": "2025-07-01"}).status_code == 404
    client.force_login(liaison)
    refused = client.post(
        reverse("outcomes:measure_add", args=[open_item.pk]), {"text": "还没签收", "implemented_on": "2025-07-01"}
    )
    assert refused.status_code == 400
    assert client.post(add, {"text": "新增助餐点1个", "implemented_on": "2025-07-01"}).status_code == 302
    measure = Measure.objects.get(assignment=item)
    page = client.get(reverse("outcomes:assignment", args=[item.pk])).content.decode()
    assert "新增助餐点1个" in page
    client.logout()
    public = client.get(reverse("outcomes_public:result", args=[c["c3"].pk])).content.decode()
    assert "落实成果" in public and "新增助餐点1个" in public
    client.force_login(liaison)
    withdraw = reverse("outcomes:measure_withdraw", args=[item.pk, measure.pk])
    assert client.post(withdraw, {"reason": ""}).status_code == 400
    assert client.post(withdraw, {"reason": "填错事项"}).status_code == 302
    measure.refresh_from_db()
    assert measure.withdrawn_at is not None
    assert [h.history_change_reason for h in measure.history.order_by("history_date")] == [
        "measure.added",
        "measure.withdrawn",
    ]


def test_solved_on_the_spot_is_marked_in_the_session_and_undone_with_history(client, world):
    d = world.district
    convener = grant(make_user("sf_conv_a1"), Role.CONVENER, region=d["a1"])
    consultation = in_session(d, convener=convener, title="村口积水")
    participant = consultation.participants.filter(category=ParticipantCategory.RESIDENT).first()
    statement = consultation_services.statement_add(
        actor=convener, consultation=consultation, participant=participant, text="村口下雨就积水"
    )
    url = reverse("consultations:statement_solve", args=[consultation.pk, statement.pk])
    outsider = grant(make_user("sf_conv_b1"), Role.CONVENER, region=d["b1"])
    client.force_login(outsider)
    assert client.post(url, {"solved_by": "镇水务站", "solved_note": "当场疏通"}).status_code == 404
    client.force_login(convener)
    assert client.post(url, {"solved_by": "", "solved_note": "当场疏通"}).status_code == 400
    assert client.post(url, {"solved_by": "镇水务站", "solved_note": "当场疏通排水沟"}).status_code == 302
    statement.refresh_from_db()
    assert statement.is_solved_on_spot and statement.solved_recorded_by == convener
    session = client.get(reverse("consultations:session", args=[consultation.pk])).content.decode()
    assert "当场解决" in session and "镇水务站" in session
    assert client.post(url, {"action": "undo", "reason": "记错了"}).status_code == 302
    statement.refresh_from_db()
    assert not statement.is_solved_on_spot
    reasons = [h.history_change_reason for h in statement.history.order_by("history_date", "history_id")]
    assert reasons[-2:] == ["statement.solved_on_spot", "statement.solve_undone"]
    # The suggestion of the resolution, and the minutes' line.
    client.post(url, {"solved_by": "镇水务站", "solved_note": "当场疏通排水沟"})
    consultation = consultation_services.session_close(actor=convener, consultation=consultation)
    assert "当场解决：镇水务站，当场疏通排水沟" in consultation.minutes
    suggestion = consultation_services.suggestion_add(actor=convener, consultation=consultation, text="加装排水管")
    response = client.post(
        reverse("consultations:suggestion_solve", args=[consultation.pk, suggestion.pk]),
        {"solved_by": "村委会", "solved_note": "会上落实资金"},
    )
    assert response.status_code == 302
    resolution = client.get(reverse("consultations:resolution", args=[consultation.pk])).content.decode()
    assert "当场解决：村委会，会上落实资金" in resolution
    assert on_the_spot.solved_words(Suggestion.objects.get(pk=suggestion.pk)) == "当场解决：村委会，会上落实资金"
