"""``manage.py run_follow_up_reminders [--date YYYY-MM-DD]``: remind follow-ups due soon or overdue, for cron."""

from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand

from shangliang.evaluation.reminders import follow_up_reminders_run


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "发送今天到期的回访重办提醒（每步只发一次，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, help="按这一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        sent = follow_up_reminders_run(today=options["date"])
        if options["verbosity"] >= 1:
            self.stdout.write(f"已发送回访重办提醒 {sent} 项。")
