"""``manage.py run_reminders [--date YYYY-MM-DD]``: send the reminder steps due today, for cron."""

from django.core.management.base import BaseCommand

from shangliang.core.commands import add_date_argument
from shangliang.outcomes.reminders import reminders_run


class Command(BaseCommand):
    help = "发送今天到期的督办提醒和逾期升级通知（每步只发一次，可重复运行）。"

    def add_arguments(self, parser):
        add_date_argument(parser)

    def handle(self, *args, **options):
        sent = reminders_run(today=options["date"])
        if options["verbosity"] >= 1:
            self.stdout.write(f"已发送督办提醒 {sent} 项。")
