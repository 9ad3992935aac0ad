"""Score the units' replies that have no reply-quality score yet (答复质量), or all of them with ``--all``:
hotline records' replies, reports' written replies and assignments' results. Replies are scored when
they are recorded; this catches those recorded before scoring existed, or rescoring after a rule change.
The score is derived, so it is written without a history row."""

from django.core.management.base import BaseCommand

from shangliang.hotline import services
from shangliang.hotline.models import Record
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.models import Assignment, OutcomeReport

BATCH = 500


class Command(BaseCommand):
    help = "Score units' replies (hotline records, reports, assignments) that have no reply-quality score."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rescore every reply, not only unscored ones")

    def handle(self, *args, **options):
        everything = options["all"]
        records = Record.objects.exclude(reply_text="")
        reports = OutcomeReport.objects.exclude(reply_text="").select_related("consultation")
        items = Assignment.objects.exclude(result="").select_related("suggestion__consultation__topic")
        if not everything:
            records, reports, items = (
                records.filter(reply_score__isnull=True),
                reports.filter(reply_score__isnull=True),
                items.filter(result_score__isnull=True),
            )
        done = {"records": 0, "reports": 0, "assignments": 0}
        for batch in _batches(records):
            services.score_replies(batch)
            Record.objects.bulk_update(batch, ["reply_score", "reply_parts"])
            done["records"] += len(batch)
        for batch in _batches(reports):
            for report in batch:
                report.reply_score, report.reply_parts = outcome_services.reply_quality(report)
            OutcomeReport.objects.bulk_update(batch, ["reply_score", "reply_parts"])
            done["reports"] += len(batch)
        for batch in _batches(items):
            for item in batch:
                item.result_score, item.result_parts = outcome_services.result_quality(item, item.result, item.done_at)
            Assignment.objects.bulk_update(batch, ["result_score", "result_parts"])
            done["assignments"] += len(batch)
        summary = "scored: {records} hotline replies, {reports} written replies, {assignments} results"
        self.stdout.write(summary.format(**done))


def _batches(queryset):
    batch = []
    for row in queryset.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
