"""Residents' ratings of the published demo consultations, the follow-ups they open, and third-party evaluations.

Every consultation whose results are published gets 8 to 25 ratings over the weeks after the
publication: residents rate on their phones (accounts without a usable password, numbered
1370000xxxx so they meet no other demo number), and the convener types in what a door-to-door
visit, a residents' meeting or a paper questionnaire gathered. Most residents are satisfied or
basically satisfied. On two consultations too many are unsatisfied with the result, so the rating
service opens a follow-up (回访重办); the convener closes the older one with what was done again.
The newest publication is rated in the last month and its follow-up is still open, not yet due.
``evaluator`` records third-party evaluations of five consultations. ``resident`` has rated an
older consultation of the first township and left the newest one for a tester to rate. What people
write (``data/evaluation.json``) is data.

As in ``demo.outcomes``, each step is planned at a moment in the past and played by the demo's
timeline (``demo.timeline``) in the order of those moments, passing its moment to the services, so
ratings, follow-ups and the conveners' notifications are dated like the history they imitate. The
unsatisfied ratings of the other consultations are ordered so that no early run of them trips a
follow-up by chance.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shangliang.accounts.services import resident_register
from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.demo import district
from shangliang.demo.content import load
from shangliang.demo.names import NameSource
from shangliang.demo.timeline import Timeline
from shangliang.evaluation import selectors, services
from shangliang.evaluation.models import FollowUp, Rating, ThirdPartyEvaluation
from shangliang.evaluation.states import FollowUpStatus, RatingChannel, Satisfaction
from shangliang.orgs.models import Region
from shangliang.orgs.states import Role

SEED = district.SEED + 4
_EVALUATION = load("evaluation")
ORGANISATION = _EVALUATION["organisation"]
# Resident accounts take numbers from the first range, ratings typed in with a number from the second.
RESIDENT_MOBILES = 13700000001
RECORDED_MOBILES = 13700010001
THIRD_PARTY_EVALUATIONS = 5

SATISFIED, BASIC, UNSATISFIED = Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED
ONLINE, VISIT, MEETING, QUESTIONNAIRE = (
    RatingChannel.ONLINE,
    RatingChannel.VISIT,
    RatingChannel.MEETING,
    RatingChannel.QUESTIONNAIRE,
)

# What a consultation's ratings look like.
USUAL = "usual"
REOPENED = "reopened"  # too many unsatisfied: a follow-up, closed since, then better ratings
UNRESOLVED = "unresolved"  # too many unsatisfied: a follow-up still open

COMMENTS = {result: tuple(comments) for result, comments in _EVALUATION["comments"].items()}
FOLLOW_UP_RESULT = _EVALUATION["follow_up_result"]
PROCESS_FINDINGS = _EVALUATION["process_findings"]
RESULT_FINDINGS = _EVALUATION["result_findings"]
RECOMMENDATIONS = tuple(_EVALUATION["recommendations"])


@dataclass
class _Vote:
    """One rating to give: when, how, by whom."""

    when: datetime
    channel: str
    mobile: str = ""
    user: object = None  # a resident's account, made on the day for an online rating
    is_demo_resident: bool = False
    result: str = SATISFIED


@dataclass
class _Case:
    consultation: Consultation
    township_id: int
    place: str
    published_at: datetime
    kind: str = USUAL
    votes: list[_Vote] = field(default_factory=list)
    follow_up_closed_at: datetime | None = None


def build_demo_evaluation(*, stdout=None) -> dict:
    """Rate the published demo consultations, follow up two of them and evaluate five; returns the counts.

    Runs in one transaction and writes through the evaluation services.
    """
    with transaction.atomic():
        evaluation = _Evaluation(stdout)
        evaluation.plan()
        evaluation.play()
        return evaluation.counts()


def _unsatisfied_last(results: list[str], threshold: float, minimum: int) -> list[str]:
    """The same results, 'unsatisfied' ones moved later so that no prefix of ``minimum`` or more passes ``threshold``.

    Beyond the threshold overall, the first ones become 'basically satisfied'.
    """
    results = list(results)
    while results.count(UNSATISFIED) / max(len(results), 1) > threshold:
        results[results.index(UNSATISFIED)] = BASIC
    while True:
        unsatisfied = 0
        for index, result in enumerate(results, start=1):
            unsatisfied += result == UNSATISFIED
            if index >= minimum and unsatisfied / index > threshold:
                last = max(i for i in range(index) if results[i] == UNSATISFIED)
                results.append(results.pop(last))
                break
        else:
            return results


class _Evaluation:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.names = NameSource(self.rng)
        self.today = timezone.localdate()
        self.limit = timezone.make_aware(datetime.combine(self.today, time()))
        self.timeline = Timeline()
        self.cases: list[_Case] = []
        self.threshold = services.unsatisfied_threshold()
        self.minimum = services.min_ratings()
        self.load()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    def load(self) -> None:
        self.district = Region.objects.get(code=district.DISTRICT_CODE)
        users = get_user_model().objects.filter(username__in=district.DEMO_USERNAMES)
        self.users = {u.username: u for u in users}
        first = self.users["township_party"].scoped_roles.get(role=Role.APPROVER).region
        self.first_township = first
        self.taken_mobiles = set(
            get_user_model().objects.filter(mobile__startswith="1370").values_list("mobile", flat=True)
        )
        self.next_mobile = {"resident": RESIDENT_MOBILES, "recorded": RECORDED_MOBILES}
        self.residents: dict[int, list] = {}  # township pk -> resident accounts made so far
        townships = {r.path: r for r in Region.objects.filter(parent=self.district)}
        consultations = (
            Consultation.objects.filter(
                status=ConsultationStatus.CONCLUDED,
                topic__convening_region__path__startswith=self.district.path,
                publication__isnull=False,
            )
            .select_related("publication", "topic__convening_region", "convener", "platform__region")
            .order_by("publication__published_at", "pk")
        )
        for consultation in consultations:
            region = consultation.platform.region
            township = next((t for path, t in townships.items() if region.path.startswith(path)), self.district)
            self.cases.append(
                _Case(
                    consultation=consultation,
                    township_id=township.pk,
                    place=region.name,
                    published_at=consultation.publication.published_at,
                )
            )

    def mobile(self, kind: str) -> str:
        while True:
            number = str(self.next_mobile[kind])
            self.next_mobile[kind] += 1
            if number not in self.taken_mobiles:
                self.taken_mobiles.add(number)
                return number

    # --- the plan ---------------------------------------------------------------------------

    def plan(self) -> None:
        rng = self.rng
        # The follow-ups: one on an older consultation (time to close it and rate again), one on the newest.
        long_ago = [c for c in self.cases[:-1] if (self.limit - c.published_at).days >= 90]
        reopened = rng.choice(long_ago[len(long_ago) // 2 :] or self.cases[:1])
        reopened.kind = REOPENED
        self.cases[-1].kind = UNRESOLVED

        # resident rates the oldest published consultation of the first township and leaves the newest.
        first = [c for c in self.cases if c.township_id == self.first_township.pk]
        rated_by_resident = first[0] if len(first) >= 2 else None

        for case in self.cases:
            self.plan_votes(case, with_demo_resident=case is rated_by_resident)
            self.plan_results(case)
            for vote in case.votes:
                self.schedule(vote.when, partial(self.rate, case, vote))
            if case.follow_up_closed_at is not None:
                self.schedule(case.follow_up_closed_at, partial(self.close_follow_up, case))

        settled = [c for c in self.cases if c.kind == USUAL and (self.limit - c.published_at).days >= 40]
        evaluated = [reopened, *rng.sample(settled, THIRD_PARTY_EVALUATIONS - 1)]
        for case in evaluated:
            # The follow-up's case is evaluated once it is closed, the others some weeks after the publication.
            since = case.follow_up_closed_at or case.published_at
            day = min(timezone.localdate(since) + timedelta(days=rng.randint(20, 60)), self.today - timedelta(days=1))
            self.schedule(self.moment(day, rng.randint(9, 16), rng.randrange(60)), partial(self.evaluate, case))

    def moment(self, day: date, hour: int, minute: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def when_between(self, start: datetime, end: datetime, *, hours=(8, 21)) -> datetime:
        """A moment in daytime between ``start`` and ``end``; soon after ``start`` when the day falls before it."""
        rng = self.rng
        days = max(0, (timezone.localdate(end) - timezone.localdate(start)).days)
        day = timezone.localdate(start) + timedelta(days=rng.randint(0, days))
        when = self.moment(day, rng.randint(*hours), rng.randrange(60))
        if when <= start:
            when = start + timedelta(minutes=rng.randint(10, 240))
        return min(when, end)

    def plan_votes(self, case: _Case, *, with_demo_resident: bool) -> None:
        rng = self.rng
        # Most consultations get a dozen or so ratings, a few up to 25.
        total = rng.randint(16, 25) if case.kind != USUAL else 8 + int(18 * rng.random() ** 2)
        start = case.published_at
        end = min(start + timedelta(weeks=rng.randint(4, 10)), self.limit - timedelta(minutes=5))
        if case.kind == UNRESOLVED:
            # Rated in the last month, so its follow-up opened lately and is not yet due.
            start, end = max(start, self.limit - timedelta(days=30)), self.limit - timedelta(minutes=5)
        votes = case.votes
        # A residents' meeting and a paper questionnaire now and then, each typed in on one sitting.
        if rng.random() < 0.55:
            sitting = self.when_between(start, end, hours=(9, 19))
            for _ in range(rng.randint(3, 6)):
                sitting += timedelta(minutes=rng.randint(1, 4))
                mobile = self.mobile("recorded") if rng.random() < 0.2 else ""
                votes.append(_Vote(min(sitting, end), MEETING, mobile=mobile))
        if rng.random() < 0.45:
            sitting = self.when_between(start, end, hours=(9, 17))
            for _ in range(rng.randint(2, 5)):
                sitting += timedelta(minutes=rng.randint(1, 3))
                mobile = self.mobile("recorded") if rng.random() < 0.05 else ""
                votes.append(_Vote(min(sitting, end), QUESTIONNAIRE, mobile=mobile))
        for _ in range(rng.randint(1, 4)):
            mobile = self.mobile("recorded") if rng.random() < 0.5 else ""
            votes.append(_Vote(self.when_between(start, end, hours=(9, 18)), VISIT, mobile=mobile))
        if with_demo_resident:
            votes.append(_Vote(self.when_between(start, end), ONLINE, is_demo_resident=True))
        while len(votes) < total:
            votes.append(_Vote(self.when_between(start, end), ONLINE))
        votes.sort(key=lambda vote: vote.when)

    def plan_results(self, case: _Case) -> None:
        """The result each vote gives, in the order they are given."""
        rng = self.rng
        votes = case.votes

        def draw(unsatisfied: float) -> str:
            roll = rng.random()
            return UNSATISFIED if roll < unsatisfied else SATISFIED if roll < unsatisfied + 0.6 else BASIC

        if case.kind == USUAL:
            results = [draw(rng.choice((0.03, 0.06, 0.1, 0.14, 0.18))) for _ in votes]
            results = _unsatisfied_last(results, self.threshold, self.minimum)
        else:
            # Enough of the first votes are unsatisfied to pass the threshold at the trigger.
            trigger = rng.randint(self.minimum, self.minimum + 3)
            needed = int(trigger * self.threshold) + 1
            early = [UNSATISFIED] * needed + [draw(0.0) for _ in range(trigger - needed)]
            rng.shuffle(early)
            later = votes[trigger:]
            if case.kind == REOPENED and later:
                # Closed a week or two after it opened; the later votes move after it, to rate the redone work.
                opened = votes[trigger - 1].when
                closed = opened + timedelta(days=rng.randint(7, 14))
                case.follow_up_closed_at = closed
                shift = max(timedelta(0), closed + timedelta(hours=rng.randint(18, 60)) - later[0].when)
                for vote in later:
                    vote.when = min(vote.when + shift, self.limit - timedelta(minutes=5))
                tail = _unsatisfied_last([draw(0.04) for _ in later], self.threshold, self.minimum)
            else:
                tail = [draw(0.3) for _ in later]
            results = early + tail
        for vote, result in zip(votes, results, strict=True):
            vote.result = result

    def schedule(self, when: datetime, step) -> None:
        """Play ``step(when)`` at ``when``; every step lies before today."""
        if when >= self.limit:
            raise ValueError(f"a step at {when} would fall on or after today")
        self.timeline.add(when, step)

    # --- what each step does ----------------------------------------------------------------

    def resident(self, case: _Case, when: datetime):
        """A resident of the township: one who rated another of its consultations now and then, else a new one.

        A new one registers on their phone a few minutes before rating at ``when``."""
        pool = self.residents.setdefault(case.township_id, [])
        rated = {vote.user for vote in case.votes if vote.user is not None}
        returning = [user for user in pool if user not in rated]
        if returning and self.rng.random() < 0.4:
            return self.rng.choice(returning)
        full_name = self.names.person(self.names.gender(0.5)) if self.rng.random() < 0.7 else ""
        mobile = self.mobile("resident")
        with self.timeline.at(when - timedelta(minutes=self.rng.randint(2, 30))):
            user = resident_register(mobile=mobile, password=None, full_name=full_name, verified=True)
        pool.append(user)
        return user

    def comment(self, case: _Case, result: str) -> str:
        share = {SATISFIED: 0.25, BASIC: 0.4, UNSATISFIED: 0.8}[result]
        if self.rng.random() >= share:
            return ""
        return self.rng.choice(COMMENTS[result]).format(place=case.place)

    def rate(self, case: _Case, vote: _Vote, when: datetime) -> None:
        rng = self.rng
        result = vote.result
        process = UNSATISFIED if result == UNSATISFIED and rng.random() < 0.4 else rng.choice((SATISFIED, BASIC))
        if result == SATISFIED and rng.random() < 0.7:
            process = SATISFIED
        comment = self.comment(case, result)
        if vote.channel == ONLINE:
            vote.user = self.users["resident"] if vote.is_demo_resident else self.resident(case, when)
            services.rating_submit(
                user=vote.user,
                consultation=case.consultation,
                process=process,
                result=result,
                comment=comment,
                now=when,
            )
        else:
            services.rating_record(
                actor=case.consultation.convener,
                consultation=case.consultation,
                channel=vote.channel,
                process=process,
                result=result,
                comment=comment,
                mobile=vote.mobile,
                now=when,
            )

    def close_follow_up(self, case: _Case, when: datetime) -> None:
        rng = self.rng
        follow_up = case.consultation.follow_ups.get(status=FollowUpStatus.OPEN)
        unsatisfied = case.consultation.ratings.filter(result=UNSATISFIED).count()
        found = rng.randint(2, 4)
        fixed = rng.randint(1, found)
        services.follow_up_close(
            actor=case.consultation.convener,
            follow_up=follow_up,
            result=FOLLOW_UP_RESULT.format(n=unsatisfied, m=found, k=fixed, rest=found - fixed, place=case.place),
            now=when,
        )

    def evaluate(self, case: _Case, when: datetime) -> None:
        rng = self.rng
        consultation = case.consultation
        figures = selectors.satisfaction_of(consultation.ratings.all())
        result_rate = figures.result_rate
        if case.kind == USUAL:
            process = SATISFIED if rng.random() < 0.6 else BASIC
            result = SATISFIED if result_rate is None or result_rate >= 0.9 else BASIC
        else:
            process, result = BASIC, UNSATISFIED if result_rate is not None and result_rate < 0.75 else BASIC
        lines = [PROCESS_FINDINGS[process], RESULT_FINDINGS[result].format(n=consultation.suggestions.count())]
        if figures.total:
            rate = round(result_rate * 100)
            lines.append(_EVALUATION["figures"].format(total=figures.total, rate=rate))
        lines.append(rng.choice(RECOMMENDATIONS))
        services.third_party_evaluation_add(
            actor=self.users["evaluator"],
            consultation=consultation,
            organisation=ORGANISATION,
            process=process,
            result=result,
            findings="".join(lines),
            evaluated_on=timezone.localdate(when),
        )

    # --- playing ------------------------------------------------------------------------------

    def play(self) -> None:
        self.timeline.play()
        self.say(f"评估：{Rating.objects.count()} 条群众评议，{FollowUp.objects.count()} 次回访重办")

    def counts(self) -> dict:
        consultations = [case.consultation for case in self.cases]
        ratings = Rating.objects.filter(consultation__in=consultations)
        by_channel = Counter(ratings.values_list("channel", flat=True))
        follow_ups = FollowUp.objects.filter(consultation__in=consultations)
        figures = selectors.satisfaction_of(ratings)
        return {
            "evaluation_ratings": figures.total,
            **{f"evaluation_ratings_{channel}": by_channel[channel] for channel in RatingChannel.values},
            "evaluation_residents": sum(len(pool) for pool in self.residents.values()),
            "evaluation_result_rate": round(figures.result_rate or 0, 3),
            "evaluation_process_rate": round(figures.process_rate or 0, 3),
            **{
                f"evaluation_follow_ups_{status}": follow_ups.filter(status=status).count()
                for status in FollowUpStatus.values
            },
            "third_party_evaluations": ThirdPartyEvaluation.objects.filter(consultation__in=consultations).count(),
        }
