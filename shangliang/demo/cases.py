"""Typical cases (典型案例) of the demo district, published through the evaluation service.

``cppcc`` picks the best-rated consultations whose suggestions were all done and checked, with
no follow-up, and tells each as a case: where the matter came from, what the research found, who
consulted and what they agreed, what the units did and how the residents rated it. The picks are
of different categories, one from each level where there is one (a village, a township, the
district), so the public ``/cases/`` page, the dashboard and the annual report have cases to show.
Every sentence of a story is the consultation's own record (its topic, research, suggestions,
results and ratings); the connecting words are in ``data/evaluation.json``.

As elsewhere in the demo, each case is published at a moment in the past, a few weeks after the
ratings came in, through the demo's timeline (``demo.timeline``).
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import AFFECTED_CATEGORIES, ConsultationStatus, ParticipantCategory
from shangliang.demo import district
from shangliang.demo.content import load
from shangliang.demo.timeline import Timeline
from shangliang.evaluation import services
from shangliang.evaluation.models import TypicalCase
from shangliang.evaluation.selectors import satisfaction_of
from shangliang.evaluation.states import Satisfaction
from shangliang.orgs.models import Region
from shangliang.outcomes.states import AssignmentStatus
from shangliang.topics.states import ConveningLevel

SEED = district.SEED + 5
CASES = 3
# A case is told only of a consultation most residents were happy with.
MIN_RATINGS = 8
MIN_SATISFIED_SHARE = 0.85

TEXTS = load("evaluation")["typical_cases"]
LEVELS = {
    ConveningLevel.VILLAGE: "village",
    ConveningLevel.TOWNSHIP: "township",
    ConveningLevel.DISTRICT: "district",
}


@dataclass
class _Pick:
    consultation: Consultation
    rated_until: datetime
    share: float
    total: int


def build_demo_cases(*, stdout=None) -> dict:
    """Publish the demo district's typical cases; returns the count."""
    with transaction.atomic():
        cases = _Cases(stdout)
        cases.plan()
        cases.timeline.play()
        count = TypicalCase.objects.filter(is_published=True).count()
        if stdout is not None:
            stdout.write(f"典型案例：{count} 个\n")
        return {"typical_cases": count}


class _Cases:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.today = timezone.localdate()
        self.limit = timezone.make_aware(datetime.combine(self.today, time()))
        self.timeline = Timeline()
        self.actor = get_user_model().objects.get(username="cppcc")
        self.district = Region.objects.get(code=district.DISTRICT_CODE)

    def candidates(self) -> list[_Pick]:
        """Published consultations with every item done and checked, no follow-up, rated well; best first."""
        consultations = (
            Consultation.objects.filter(
                status=ConsultationStatus.CONCLUDED,
                publication__isnull=False,
                follow_ups__isnull=True,
                topic__convening_region__path__startswith=self.district.path,
            )
            .annotate(
                items=Count("suggestions__assignments", distinct=True),
                unfinished=Count(
                    "suggestions__assignments",
                    filter=~Q(suggestions__assignments__status__in=(AssignmentStatus.DONE, AssignmentStatus.RETURNED)),
                    distinct=True,
                ),
                rated_until=Max("ratings__created_at"),
            )
            .filter(items__gt=0, unfinished=0, rated_until__isnull=False)
            .select_related("topic__category", "topic__convening_region", "platform", "session_format")
            .order_by("pk")
        )
        picks = []
        for consultation in consultations:
            figures = satisfaction_of(consultation.ratings.all())
            happy = figures.result[Satisfaction.SATISFIED] + figures.result[Satisfaction.BASIC]
            share = happy / figures.total if figures.total else 0
            # Told once the ratings are in: a case rated in the last days is not told yet.
            settled = consultation.rated_until < self.limit - timedelta(days=3)
            if settled and figures.total >= MIN_RATINGS and share >= MIN_SATISFIED_SHARE:
                picks.append(_Pick(consultation, consultation.rated_until, share, figures.total))
        return sorted(picks, key=lambda p: (-p.share, -p.total, p.consultation.pk))

    def plan(self) -> None:
        """Up to three cases of different categories: first one per level (village, township, district), then any."""
        chosen: list[_Pick] = []
        candidates = self.candidates()
        for same_level_allowed in (False, True):
            for pick in candidates:
                topic = pick.consultation.topic
                if len(chosen) >= CASES or pick in chosen:
                    continue
                if any(p.consultation.topic.category_id == topic.category_id for p in chosen):
                    continue
                if not same_level_allowed and any(
                    p.consultation.topic.convening_level == topic.convening_level for p in chosen
                ):
                    continue
                chosen.append(pick)
        for pick in chosen[:CASES]:
            when = pick.rated_until + timedelta(days=self.rng.randint(10, 30), hours=self.rng.randint(0, 5))
            when = min(when, self.limit - timedelta(hours=self.rng.randint(20, 40)))
            self.timeline.add(when, partial(self.publish, pick))

    def publish(self, pick: _Pick, when: datetime) -> None:
        consultation = pick.consultation
        topic = consultation.topic
        level = LEVELS.get(topic.convening_level, "village")
        services.typical_case_publish(
            actor=self.actor,
            consultation=consultation,
            title=TEXTS["title"].format(topic=topic.title, headline=TEXTS["headlines"][level])[:100],
            story=self.story(pick, level),
        )

    def story(self, pick: _Pick, level: str) -> str:
        consultation = pick.consultation
        topic = consultation.topic
        participants = list(consultation.participants.all())
        affected = sum(1 for p in participants if p.category in AFFECTED_CATEGORIES)
        units = [p.organisation for p in participants if p.category == ParticipantCategory.UNIT and p.organisation]
        units = list(dict.fromkeys(units))
        suggestions = list(consultation.suggestions.order_by("pk"))
        done = [
            a
            for s in suggestions
            for a in s.assignments.select_related("lead_unit").order_by("pk")
            if a.status == AssignmentStatus.DONE
        ]
        research = consultation.research.order_by("researched_on", "pk").first()
        held = timezone.localtime(consultation.starts_at)
        first = done[0] if done else None
        result = first.result.removeprefix(f"{first.suggestion.text}：") if first else ""
        values = {
            "background": topic.background.strip(),
            "findings": research.findings.strip() if research else "",
            "held": f"{held.year}年{held.month}月{held.day}日",
            "platform": consultation.platform.name,
            "form": consultation.session_format.name if consultation.session_format else "",
            "people": len(participants),
            "affected": affected,
            "units": "、".join(units[:3]) or TEXTS["no_units"],
            "count": len(suggestions),
            "suggestions": "；".join(s.text for s in suggestions),
            "done": len(done),
            "units_done": "、".join(dict.fromkeys(a.lead_unit.name for a in done)),
            "result": result,
            "total": pick.total,
            "rate": round(pick.share * 100),
            "lesson": TEXTS["lessons"][level],
        }
        return "\n\n".join(line.format(**values) for line in TEXTS["story"] if "{findings}" not in line or research)
