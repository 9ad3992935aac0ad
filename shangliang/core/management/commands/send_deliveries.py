"""``manage.py send_deliveries``: send the texts and WeChat messages that are due, for cron (every minute)."""

from django.core.management.base import BaseCommand

from shangliang.core.dispatch import deliveries_run


class Command(BaseCommand):
    help = "发送待发送的短信和微信消息（重试到期的、发送中断的），并把长时间无结果的标为结果不明。可重复运行。"

    def handle(self, *args, **options):
        sent = deliveries_run()
        if options["verbosity"] >= 1:
            self.stdout.write(f"已发送消息 {sent} 条。")
