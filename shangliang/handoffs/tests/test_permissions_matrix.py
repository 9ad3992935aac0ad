"""Who may hand a matter to another channel: each role × each kind of matter × (own village 甲一村, other
township's 乙一村).

A submission is handed by who screens it, a topic by who drafts or approves it, a suggestion by who assigns
it (the party committee and government covering the convening region). Village roles are held at 甲一村,
township roles at 甲镇, the CPPCC office staff at the district. Readers (supervisors, evaluators) see the
hand-offs of their scope but never hand one off; residents see none.
"""

import pytest

from shangliang.handoffs import permissions, services
from shangliang.handoffs.states import Channel
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.tests.builders import concluded
from shangliang.topics.tests.builders import approved, submit

pytestmark = pytest.mark.django_db

Y, N = True, False
ACTORS = {
    "village_convener": (Role.CONVENER, "a1"),
    "village_approver": (Role.APPROVER, "a1"),
    "township_station_head": (Role.STATION_HEAD, "a"),
    "township_approver": (Role.APPROVER, "a"),
    "township_administrator": (Role.ADMINISTRATOR, "a"),
    "township_supervisor": (Role.SUPERVISOR, "a"),
    "township_evaluator": (Role.EVALUATOR, "a"),
    "district_committee_staff": (Role.COMMITTEE_STAFF, "district"),
    "resident": (None, None),
}
# actor → (submission, topic, suggestion) of 甲一村; nobody of 甲 may touch 乙一村's, the district staff aside.
EXPECTED = {
    "village_convener": (Y, Y, N),
    "village_approver": (N, Y, Y),
    "township_station_head": (Y, Y, N),
    "township_approver": (N, N, Y),
    "township_administrator": (N, N, Y),
    "township_supervisor": (N, N, N),
    "township_evaluator": (N, N, N),
    "district_committee_staff": (Y, Y, N),
    "resident": (N, N, N),
}
# Reading the list of hand-offs of 甲一村.
READS = {
    "village_convener",
    "village_approver",
    "township_station_head",
    "township_approver",
    "township_administrator",
    "township_supervisor",
    "township_evaluator",
    "district_committee_staff",
}


@pytest.fixture
def actors(district):
    made = {}
    for name, (role, where) in ACTORS.items():
        user = make_user(name)
        if role is not None:
            grant(user, role, region=district[where])
        made[name] = user
    return made


@pytest.fixture
def matters(district):
    def of(village_key, title):
        consultation = concluded(district, title=title)
        if village_key != "a1":  # the builder convenes in 甲一村; move this one's topic to the other village
            topic = consultation.topic
            topic.convening_region = district[village_key]
            topic.save(update_fields=["convening_region"])
        return {
            "submission": submit(district[village_key], f"{title}诉求"),
            "topic": approved(district[village_key], f"{title}议题"),
            "suggestion": consultation.suggestions.first(),
        }

    return {"own": of("a1", "甲一村的事"), "other": of("b1", "乙一村的事")}


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_may_hand_off_what(actors, matters, actor):
    user = actors[actor]
    own = tuple(permissions.can_hand_off(user, matters["own"][kind]) for kind in ("submission", "topic", "suggestion"))
    assert own == EXPECTED[actor], actor
    other = tuple(
        permissions.can_hand_off(user, matters["other"][kind]) for kind in ("submission", "topic", "suggestion")
    )
    assert other == ((Y, Y, N) if actor == "district_committee_staff" else (N, N, N)), actor


@pytest.mark.parametrize("actor", list(ACTORS))
def test_who_reads_the_handoffs_of_the_village(actors, matters, actor):
    convener = actors["village_convener"]
    handoff = services.handoff_create(
        actor=convener,
        subject=matters["own"]["submission"],
        channel=Channel.HOTLINE,
        recipient="12345热线",
        reason="转12345派单",
    )
    visible = permissions.handoffs_visible_to(actors[actor]).filter(pk=handoff.pk).exists()
    assert visible == (actor in READS), actor
    follows = permissions.can_follow_up(actors[actor], handoff)
    assert follows == EXPECTED[actor][0], actor
