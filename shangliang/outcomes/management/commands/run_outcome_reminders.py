"""``manage.py run_outcome_reminders [--date YYYY-MM-DD]``: written replies owed and results to publish, for cron."""

from django.core.management.base import BaseCommand

from shangliang.core.commands import add_date_argument
from shangliang.outcomes.reminders import outcome_reminders_run


class Command(BaseCommand):
    help = "发送书面答复提醒（到期前、逾期、督办通知）和结果公开提醒（每步只发一次，可重复运行）。"

    def add_arguments(self, parser):
        add_date_argument(parser)

    def handle(self, *args, **options):
        sent = outcome_reminders_run(today=options["date"])
        if options["verbosity"] >= 1:
            self.stdout.write(f"已发送答复和公开提醒 {sent} 项。")
