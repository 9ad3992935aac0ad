"""Builders for assessment tests: consultations held on a given day in a given township, items due and
done on given days, entrusted reports answered on given days, and residents' ratings."""

import datetime
import itertools

from django.utils import timezone

from shangliang.evaluation.models import Rating
from shangliang.evaluation.states import RatingChannel, Satisfaction
from shangliang.orgs import services as org_services
from shangliang.orgs.states import UnitKind
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus, ReportKind
from shangliang.outcomes.tests.builders import assigned, concluded, make_unit

_seq = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def held(village, day: datetime.date, *, suggestions=("建议一",), title=None):
    """A concluded consultation on a platform of ``village``, its session moved to ``day`` (opened then)."""
    title = title or f"议题{next(_seq)}"
    consultation = concluded({"a1": village}, title=title, suggestions=suggestions)
    type(consultation).objects.filter(pk=consultation.pk).update(
        starts_at=at(day), ends_at=at(day, 12), in_session_at=at(day)
    )
    consultation.refresh_from_db()
    return consultation


def item(consultation, order: int, deadline: datetime.date, *, done_on: datetime.date | None = None) -> Assignment:
    """Suggestion ``order`` handed out a month before ``deadline``; done on ``done_on`` when given."""
    assignment = assigned(consultation, order=order, deadline=deadline, today=deadline - datetime.timedelta(days=30))
    if done_on is not None:
        Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.DONE, done_at=at(done_on, 16))
        assignment.refresh_from_db()
    return assignment


def report(consultation, *, sent_on: datetime.date, replied_on: datetime.date | None = None, entrusted=True):
    """A report sent on ``sent_on`` (an entrusted one is due 10 days later), answered on ``replied_on``."""
    actor = consultation.convener
    draft = outcome_services.report_draft(
        actor=actor,
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=entrusted,
    )
    sent = outcome_services.report_send(actor=actor, report=draft, now=at(sent_on))
    if replied_on is not None:
        sent = outcome_services.report_reply(actor=actor, report=sent, text="已研究落实", now=at(replied_on))
    return sent


def ratings(consultation, results, *, on: datetime.date):
    """One rating per entry of ``results`` (result levels), given on ``on``."""
    made = [
        Rating.objects.create(
            consultation=consultation,
            process=Satisfaction.SATISFIED,
            result=result,
            channel=RatingChannel.VISIT,
        )
        for result in results
    ]
    Rating.objects.filter(pk__in=[r.pk for r in made]).update(created_at=at(on))
    return made


def committee(region, name="提案委员会"):
    return make_unit(region, name, kind=UnitKind.CPPCC_COMMITTEE)


def link(committee_unit, platform, started_on=datetime.date(2024, 1, 1)):
    return org_services.contact_link_create(
        actor=None, committee=committee_unit, platform=platform, started_on=started_on
    )
