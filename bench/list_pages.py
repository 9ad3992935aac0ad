"""Time the main list pages on the demo district and count their SQL queries.

Usage (after `make run` has seeded the demo, or `python manage.py seed_demo`):

    SHANGLIANG_DEBUG=1 .venv/bin/python bench/list_pages.py [--repeat 30]

Prints, for each page and demo account, the median and p95 server time (Django test client,
no network) and the number of SQL queries per request.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shangliang.settings")
os.environ.setdefault("SHANGLIANG_DEBUG", "1")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from shangliang.consultations.models import Consultation  # noqa: E402
from shangliang.outcomes.models import Publication  # noqa: E402

PAGES = [
    ("首页 home", "/"),
    ("区划树 region tree", "/org/regions/"),
    ("平台与覆盖 platforms + coverage", "/org/platforms/"),
    ("委员 members", "/org/members/"),
    ("诉求队列 submissions queue", "/topics/?tab=submissions"),
    ("议题列表 topics", "/topics/?tab=topics"),
    ("待我审定 to approve", "/topics/?tab=approve"),
    ("公开议题 public pool", "/pool/"),
    ("协商 consultations", "/consultations/"),
]

# Outcome pages, each with the accounts that use it (the unit desk is for liaisons only).
OUTCOME_PAGES = [
    ("本单位交办事项 unit desk", "/outcomes/unit/", ["liaison"]),
    ("督办 supervision board", "/outcomes/board/", ["supervisor", "admin", "station"]),
    ("逾期通报 overdue board", "/outcomes/board/overdue/", ["supervisor"]),
    ("成果报送 reports", "/outcomes/reports/", ["supervisor", "convener"]),
    ("督办落实情况表 sheet.xlsx", "/outcomes/files/sheet.xlsx", ["supervisor"]),
    ("投递记录 delivery log", "/messages/", ["admin"]),
    ("投递记录，短信未送达 delivery log, failed texts", "/messages/?channel=sms&status=failed", ["admin"]),
    ("报送本单位的成果 reports to the unit", "/outcomes/unit/reports/", ["liaison_donghu"]),
]


def measure(client, url, repeat):
    client.get(url)  # warm up: session write, template cache
    times, queries = [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.add(len(ctx.captured_queries))
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, sorted(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--users", default="admin,station,convener")
    parser.add_argument("--outcomes", action="store_true", help="time the outcome pages instead")
    args = parser.parse_args()
    print("| page | account | median ms | p95 ms | queries |\n|---|---|---|---|---|")
    if args.outcomes:
        return outcome_pages(args.repeat)
    for username in args.users.split(","):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=username))
        for label, url in PAGES:
            median, p95, queries = measure(client, url, args.repeat)
            print(f"| {label} `{url}` | {username} | {median:.1f} | {p95:.1f} | {'/'.join(map(str, queries))} |")


def outcome_pages(repeat):
    for label, url, usernames in OUTCOME_PAGES:
        for username in usernames:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(get_user_model().objects.get(username=username))
            median, p95, queries = measure(client, url, repeat)
            print(f"| {label} `{url}` | {username} | {median:.1f} | {p95:.1f} | {'/'.join(map(str, queries))} |")
    busiest = Consultation.objects.filter(publication__isnull=False).order_by("-suggestions__pk").first()
    village = (
        Publication.objects.filter(consultation__platform__region__level="village")
        .select_related("consultation__platform__region")
        .first()
        .consultation.platform.region
    )
    public = [
        ("公开栏（村）village board", f"/r/village/{village.pk}/"),
        ("结果公开 result page", f"/r/{busiest.pk}/"),
        ("公开栏海报 poster PDF", f"/r/{busiest.pk}/poster.pdf"),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    for label, url in public:
        median, p95, queries = measure(client, url, repeat)
        print(f"| {label} `{url}` | anonymous | {median:.1f} | {p95:.1f} | {'/'.join(map(str, queries))} |")
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(get_user_model().objects.get(username="admin"))
    url = f"/outcomes/c/{busiest.pk}/"
    median, p95, queries = measure(staff, url, repeat)
    print(f"| 三张清单 three lists `{url}` | admin | {median:.1f} | {p95:.1f} | {'/'.join(map(str, queries))} |")


if __name__ == "__main__":
    main()
