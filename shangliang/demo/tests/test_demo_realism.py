"""The demo reads like one district's real history: each topic's own content, typical cases, liaisons who can log in.

Also what a newcomer meets first: the seed's progress by phase, the hint in the secret-key error and
``make run PORT=``.
"""

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Q
from django.test import RequestFactory

from shangliang.consultations.models import Research, Statement, Suggestion
from shangliang.demo.consultations import SOURCE_TALKS, TALKS, talk_for
from shangliang.demo.district import DEMO_PASSWORD, LIAISON_PREFIX, LIAISON_TOWNSHIP_CODES
from shangliang.demo.topics import DUPLICATES, GENERIC_MATTERS, MATTER_TALKS, _all_matters
from shangliang.evaluation.models import TypicalCase
from shangliang.evaluation.selectors import satisfaction_of
from shangliang.evaluation.states import Satisfaction
from shangliang.orgs.models import ScopedRole, Unit
from shangliang.orgs.states import Role, UnitKind
from shangliang.outcomes.models import Assignment, ProgressUpdate
from shangliang.outcomes.states import AssignmentStatus

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
RIVER_PATROL_WORDS = ("巡河", "河长", "清淤", "河道")


def log_in(username):
    return authenticate(request=RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)


# --- the content, without seeding ------------------------------------------------------------------


def test_every_matter_that_can_become_a_topic_has_its_own_talk():
    for matter in (*GENERIC_MATTERS, *(d.original for d in DUPLICATES.values())):
        assert matter.talk_key in TALKS, matter.title
    # One submission title names one matter.
    titles = [m.title for m in _all_matters()]
    assert len(titles) == len(set(titles))


def test_the_restaurant_fumes_matter_is_talked_about_as_fumes_not_as_a_river():
    talk = TALKS[MATTER_TALKS["沿街餐馆油烟扰民"]]
    assert "油烟" in talk.finding
    assert all("油烟" in s or "餐馆" in s or "净化" in s for s in talk.suggestions)
    texts = [talk.finding, talk.reply, talk.stakeholder, *talk.suggestions, *(v + e for v, e in talk.concerns)]
    for text in texts:
        assert not any(word in text for word in RIVER_PATROL_WORDS), text


# --- the seeded district ------------------------------------------------------------------------


def foreign_suggestions(own) -> list[str]:
    """The other talks' suggestions, but for those that are part of one of ``own``'s."""
    every = {s for talk in (*TALKS.values(), *SOURCE_TALKS.values()) for s in talk.suggestions}
    return sorted(s for s in every if not any(s in mine for mine in own.suggestions))


@pytest.mark.usefixtures("seeded")
class TestEachTopicsOwnContent:
    def test_every_suggestion_is_one_of_its_topics_own(self):
        suggestions = Suggestion.all_objects.select_related("consultation__topic").prefetch_related(
            "consultation__topic__submissions"
        )
        assert suggestions.count() > 300
        for suggestion in suggestions:
            topic = suggestion.consultation.topic
            # An item the assembly changed or the township corrected keeps the session's own text.
            agreed = suggestion.original_text or suggestion.text
            assert agreed in talk_for(topic).suggestions, (topic.title, suggestion.text)

    def test_statements_and_research_quote_no_other_topics_suggestions_or_policies(self):
        talks = {}
        statements = Statement.all_objects.select_related("consultation__topic").prefetch_related(
            "consultation__topic__submissions"
        )
        for statement in statements:
            topic = statement.consultation.topic
            if topic.pk not in talks:
                talks[topic.pk] = (talk_for(topic), foreign_suggestions(talk_for(topic)))
            _talk, foreign = talks[topic.pk]
            quoted = [s for s in foreign if s in statement.text]
            assert not quoted, (topic.title, statement.text)
        research = Research.objects.select_related("consultation__topic").prefetch_related(
            "consultation__topic__submissions"
        )
        for record in research:
            talk = talk_for(record.consultation.topic)
            assert set(record.policies.split("、")) <= set(talk.policies), record.policies

    def test_progress_updates_and_results_name_their_own_suggestion(self):
        updates = ProgressUpdate.objects.select_related("assignment__suggestion")
        quoting = [u for u in updates if "研究落实“" in u.progress or "”的主体工作" in u.progress]
        assert len(quoting) > 50
        for update in quoting:
            assert f"“{update.assignment.suggestion.text}”" in update.progress, update.progress
        for assignment in Assignment.objects.filter(status=AssignmentStatus.DONE).select_related("suggestion"):
            assert assignment.result.startswith(f"{assignment.suggestion.text}："), assignment.result

    def test_restaurant_fumes_topics_never_get_river_patrol_suggestions(self):
        fumes = Suggestion.all_objects.filter(consultation__topic__title__contains="油烟")
        said = Statement.all_objects.filter(consultation__topic__title__contains="油烟")
        assert fumes.exists()
        for text in [*fumes.values_list("text", flat=True), *said.values_list("text", flat=True)]:
            assert not any(word in text for word in RIVER_PATROL_WORDS), text
        assert all("油烟" in text or "餐馆" in text or "净化" in text for text in fumes.values_list("text", flat=True))


@pytest.mark.usefixtures("seeded")
class TestTypicalCases:
    def test_two_or_three_well_rated_finished_consultations_are_published_as_cases(self):
        cases = list(TypicalCase.objects.filter(is_published=True).select_related("consultation__topic"))
        assert 2 <= len(cases) <= 3
        assert len({case.consultation.topic.category_id for case in cases}) == len(cases)
        for case in cases:
            consultation = case.consultation
            assert consultation.publication.published_at < case.published_at
            assignments = Assignment.objects.filter(suggestion__consultation=consultation).exclude(
                status=AssignmentStatus.RETURNED
            )
            assert assignments.exists()
            assert set(assignments.values_list("status", flat=True)) == {AssignmentStatus.DONE}
            figures = satisfaction_of(consultation.ratings.all())
            happy = figures.result[Satisfaction.SATISFIED] + figures.result[Satisfaction.BASIC]
            assert happy / figures.total >= 0.85
            # The story tells this consultation's own record.
            assert consultation.topic.title in case.title
            assert consultation.suggestions.first().text in case.story
            assert consultation.platform.name in case.story

    def test_the_public_cases_page_lists_them_without_logging_in(self, client):
        response = client.get("/cases/")
        assert response.status_code == 200
        page = response.content.decode()
        for title in TypicalCase.objects.filter(is_published=True).values_list("title", flat=True):
            assert title in page
        case = TypicalCase.objects.filter(is_published=True).first()
        detail = client.get(f"/cases/{case.pk}/")
        assert detail.status_code == 200
        assert case.consultation.suggestions.first().text in detail.content.decode()


@pytest.mark.usefixtures("seeded")
class TestLiaisonLogins:
    def units_with_items(self):
        return Unit.objects.filter(Q(lead_assignments__isnull=False) | Q(co_assignments__isnull=False)).distinct()

    def test_every_unit_with_demo_items_has_a_liaison_who_logs_in_with_the_demo_password(self):
        units = list(self.units_with_items())
        assert len(units) >= 20
        for unit in units:
            grant = ScopedRole.objects.select_related("user").get(
                unit=unit, role=Role.UNIT_LIAISON, revoked_at__isnull=True
            )
            username = grant.user.username
            if unit.name == "区住房和城乡建设局":
                assert username == "liaison"
            else:
                assert re.fullmatch(rf"{LIAISON_PREFIX}[a-z]+\d*", username), username
            assert log_in(username) == grant.user, username

    def test_the_login_names_follow_the_documented_short_codes(self):
        grants = ScopedRole.objects.filter(role=Role.UNIT_LIAISON, revoked_at__isnull=True)
        names = {grant.unit.name: grant.user.username for grant in grants.select_related("user", "unit")}
        assert names["区住房和城乡建设局"] == "liaison"
        assert names.get("区教育局", "liaison_jyj") == "liaison_jyj"
        governments = ScopedRole.objects.filter(
            role=Role.UNIT_LIAISON, unit__kind=UnitKind.TOWNSHIP_GOVERNMENT, revoked_at__isnull=True
        ).select_related("user", "unit__region")
        assert governments.exists()
        for grant in governments:
            assert grant.user.username == f"liaison_{LIAISON_TOWNSHIP_CODES[grant.unit.region.name]}"
        villages = ScopedRole.objects.filter(
            role=Role.UNIT_LIAISON, unit__kind=UnitKind.VILLAGE_COMMITTEE, revoked_at__isnull=True
        ).select_related("user", "unit__region__parent")
        assert villages.exists()
        for grant in villages:
            village = grant.unit.region
            siblings = list(village.parent.children.order_by("code").values_list("pk", flat=True))
            number = siblings.index(village.pk) + 1
            code = LIAISON_TOWNSHIP_CODES[village.parent.name]
            assert grant.user.username == f"liaison_{code}{number:02d}"

    @pytest.mark.parametrize(
        "kind", [UnitKind.GOVERNMENT_DEPARTMENT, UnitKind.TOWNSHIP_GOVERNMENT, UnitKind.VILLAGE_COMMITTEE]
    )
    def test_a_liaison_sees_their_units_items_at_the_unit_desk(self, client, kind):
        unit = self.units_with_items().filter(kind=kind).exclude(name="区住房和城乡建设局").order_by("pk").first()
        grant = ScopedRole.objects.select_related("user").get(
            unit=unit, role=Role.UNIT_LIAISON, revoked_at__isnull=True
        )
        user = log_in(grant.user.username)
        assert user is not None
        client.force_login(user)
        response = client.get("/outcomes/unit/?tab=all")
        assert response.status_code == 200
        rows = response.context["rows"]
        assert rows
        mine = Assignment.objects.filter(Q(lead_unit=unit) | Q(co_units=unit)).values_list("pk", flat=True)
        assert {row.item.pk for row in rows} <= set(mine)
        assert unit.name in response.content.decode()
        # Another unit's item stays out of reach.
        other = Assignment.objects.exclude(pk__in=mine).order_by("pk").first()
        assert client.get(f"/outcomes/a/{other.pk}/").status_code == 404

    def test_the_seed_lists_the_other_liaisons(self, seeded):
        output = seeded["output"]
        assert "其他单位的联络员" in output
        assert "liaison_jyj" in output or "区教育局" not in output
        assert re.search(r"liaison_[a-z]+\d\d（", output)


# --- newcomers ------------------------------------------------------------------------------------


PHASE_LINE = re.compile(r"^\[(\d)/9\] (\S.*) … (\d+\.\d) 秒$", re.MULTILINE)


def test_the_seed_says_each_phase_and_its_time(seeded):
    phases = PHASE_LINE.findall(seeded["output"])
    assert [number for number, _label, _time in phases] == [str(n) for n in range(1, 10)]
    labels = [label for _number, label, _time in phases]
    assert labels[0].startswith("区划") and "协商" in labels[2] and labels[5] == "典型案例"


def test_the_seed_is_silent_at_verbosity_0(seeded):
    output = StringIO()
    call_command("seed_demo", stdout=output, verbosity=0)
    assert output.getvalue() == ""


def test_the_missing_secret_key_error_says_how_to_run_a_development_checkout():
    env = {k: v for k, v in os.environ.items() if k not in ("SHANGLIANG_DEBUG", "SHANGLIANG_SECRET_KEY")}
    result = subprocess.run(
        [sys.executable, "-c", "import shangliang.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SHANGLIANG_SECRET_KEY must be set" in result.stderr
    assert "SHANGLIANG_DEBUG=1" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("arguments", "address"),
    [([], "127.0.0.1:8000"), (["PORT=8010"], "127.0.0.1:8010"), (["HOST=0.0.0.0", "PORT=8010"], "0.0.0.0:8010")],
)
def test_make_run_serves_on_the_port_and_host_given(arguments, address):
    result = subprocess.run(
        ["make", "-n", "run", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert f"manage.py runserver {address}" in result.stdout
