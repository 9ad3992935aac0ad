"""``manage.py run_follow_up_reminders [--date YYYY-MM-DD]``: remind follow-ups due soon or overdue, for cron."""

from django.core.management.base import BaseCommand

from shangliang.core.commands import add_date_argument
from shangliang.evaluation.reminders import follow_up_reminders_run


class Command(BaseCommand):
    help = "发送今天到期的回访重办提醒（每步只发一次，可重复运行）。"

    def add_arguments(self, parser):
        add_date_argument(parser)

    def handle(self, *args, **options):
        sent = follow_up_reminders_run(today=options["date"])
        if options["verbosity"] >= 1:
            self.stdout.write(f"已发送回访重办提醒 {sent} 项。")
