"""``manage.py run_consultation_reminders``: reminders before sessions, of topics to plan and dissents to explain."""

from django.core.management.base import BaseCommand

from shangliang.consultations.reminders import consultation_reminders_run


class Command(BaseCommand):
    help = "发送会前提醒、议题待安排协商提醒和不同意见待解释说明提醒（每步只发一次，可重复运行）。"

    def handle(self, *args, **options):
        sent = consultation_reminders_run()
        if options["verbosity"] >= 1:
            self.stdout.write(f"已发送协商提醒 {sent} 项。")
