"""Builders for topic-stage records, through the services."""

import datetime

from shangliang.orgs.tests.factories import make_user
from shangliang.topics import services
from shangliang.topics.models import Category
from shangliang.topics.states import Source


def category(name="环境卫生") -> Category:
    return Category.objects.get(name=name)


def submit(
    region, title="集镇电动车乱停放", *, content="电动车停在人行道上，老人孩子走路不方便。", actor=None, **fields
):
    fields.setdefault("source", Source.RESIDENT)
    fields.setdefault("category", category())
    return services.submission_create(actor=actor, region=region, title=title, content=content, **fields).submission


def accepted(region, title="集镇电动车乱停放", *, screener=None, **fields):
    screener = screener or make_user()
    submission = submit(region, title, **fields)
    return services.submission_screen(actor=screener, submission=submission, eligible=True)


def drafted(region, title="集镇电动车乱停放", *, actor=None, regions=None, **fields):
    actor = actor or make_user()
    topic = services.topic_draft_from_submission(
        actor=actor, submission=accepted(region, title, screener=actor, **fields)
    )
    if regions:
        topic = services.topic_update(
            actor=actor,
            topic=topic,
            title=topic.title,
            background=topic.background or "背景",
            category=topic.category,
            is_livelihood=topic.is_livelihood,
            small_cut_reason="",
            regions=regions,
            platform=topic.platform,
        )
    return topic


def pending(region, title="集镇电动车乱停放", *, actor=None, **fields):
    actor = actor or make_user()
    topic = drafted(region, title, actor=actor, **fields)
    services.verification_add(
        actor=actor, topic=topic, checked_by="站长和网格员", checked_on=datetime.date(2026, 3, 1), findings="现场属实"
    )
    return services.topic_submit(actor=actor, topic=topic)


def approved(region, title="集镇电动车乱停放", *, approver=None, **fields):
    topic = pending(region, title, **fields)
    return services.topic_approve(actor=approver or make_user(), topic=topic)
