"""A village (甲一村) and its township (甲镇) with work waiting at every hand-over, and the same roles in
another township (乙镇) whose holders must see none of it."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import Consultation
from shangliang.consultations.tests.builders import in_session, notified, planned
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.states import ReportKind
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit
from shangliang.topics.models import Topic
from shangliang.topics.tests.builders import approved


@pytest.fixture
def people(district):
    unit = make_unit(district["district"], "区住房和城乡建设局")
    return {
        "unit": unit,
        "convener": grant(make_user("convener", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "approver": grant(make_user("approver", full_name="周书记"), Role.APPROVER, region=district["a"]),
        "supervisor": grant(make_user("supervisor", full_name="赵督办"), Role.SUPERVISOR, region=district["a"]),
        "liaison": liaison_of(unit, "liaison"),
        # Every role, in another township: none of the work above is theirs.
        "outsider": grant(
            grant(
                grant(make_user("outsider", full_name="乙镇干部"), Role.CONVENER, region=district["b1"]),
                Role.APPROVER,
                region=district["b"],
            ),
            Role.SUPERVISOR,
            region=district["b"],
        ),
    }


def _finished(consultation, order, people, *, actor):
    """Suggestion ``order`` handed to the unit, accepted and reported finished (办结待验收)."""
    item = assigned(consultation, unit=people["unit"], order=order, actor=actor, supervisor=people["supervisor"])
    item = outcome_services.assignment_accept(actor=people["liaison"], assignment=item)
    outcome_services.progress_add(actor=people["liaison"], assignment=item, unit=people["unit"], progress="已开工")
    item.refresh_from_db()
    return outcome_services.assignment_complete(actor=people["liaison"], assignment=item, result="已划线设停放点")


@pytest.fixture
def work(district, people):
    """One record at each step; the keys name the step."""
    convener, approver = people["convener"], people["approver"]
    days = settings.SHANGLIANG_NOTICE_DAYS
    to_plan = approved(district["a1"], "待安排的议题")
    # The last day to send the notice is tomorrow: due. Ten days ahead: not yet.
    notice_due = planned(district, convener=convener, title="通知将到期的协商", days_ahead=days + 1)
    planned(district, convener=convener, title="尚早的协商", days_ahead=days + 10)
    today = notified(district, convener=convener, title="今天召开的协商", days_ahead=days + 5)
    # Later today, but never past midnight (local time): from 23:30 on, half of what is left of the day.
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time()))
    soon = min(datetime.timedelta(minutes=30), (midnight - now) / 2)
    Consultation.objects.filter(pk=today.pk).update(starts_at=now + soon)
    minutes = consultation_services.session_close(
        actor=convener, consultation=in_session(district, convener=convener, title="纪要待确认的协商")
    )
    resolution = consultation_services.session_close(
        actor=convener, consultation=in_session(district, convener=convener, title="意见待确认的协商")
    )
    consultation_services.minutes_confirm(actor=convener, consultation=resolution)
    consultation_services.suggestion_add(actor=convener, consultation=resolution, text="增设停放点")
    consultation_services.dissent_add(actor=convener, consultation=resolution, holder="王大爷", view="不同意占用绿地")
    # Concluded in the village: one item finished (the convener checks it), one suggestion not handed out,
    # results not published, a report sent up to the township.
    village = concluded(district, convener=convener, title="村里形成意见的协商")
    village_item = _finished(village, 0, people, actor=approver)
    report = outcome_services.report_draft(
        actor=convener,
        consultation=village,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="甲镇党委",
        title="关于电动车停放的协商报告",
        body="报告正文",
    )
    report = outcome_services.report_send(actor=convener, report=report)
    # Concluded at the township: its finished item is the supervisor's to check; its other item waits
    # to be accepted by the unit and has an extension request pending.
    township = concluded(district, convener=convener, title="镇里形成意见的协商")
    Topic.objects.filter(pk=township.topic_id).update(convening_region=district["a"])
    township_item = _finished(township, 0, people, actor=approver)
    to_accept = assigned(township, unit=people["unit"], order=1, actor=approver, supervisor=people["supervisor"])
    extension = outcome_services.extension_request(
        actor=people["liaison"],
        assignment=to_accept,
        requested_deadline=to_accept.deadline + datetime.timedelta(days=10),
        reason="需要协调用地",
    )
    return {
        "to_plan": to_plan,
        "notice_due": notice_due,
        "today": today,
        "minutes": minutes,
        "resolution": resolution,
        "village": village,
        "village_item": village_item,
        "report": report,
        "township": township,
        "township_item": township_item,
        "to_accept": to_accept,
        "extension": extension,
    }
