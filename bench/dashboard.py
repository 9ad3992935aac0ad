"""Time the district dashboard, its drill-downs and the main list pages.

Usage, on the seeded demo and on a database with the 10× district (see bench/generate_district.py):

    SHANGLIANG_DEBUG=1 .venv/bin/python bench/dashboard.py [--repeat 20] [--year 2026]
    SHANGLIANG_DEBUG=1 SHANGLIANG_DATABASE_URL=sqlite:////tmp/demo10.sqlite3 \\
        .venv/bin/python bench/dashboard.py [--repeat 20] [--year 2026]

Logged in as the demo administrator, through Django's test client (no network): the dashboard
``/dashboard/?region=<district>&year=<year>`` and its drill-downs ``/dashboard/records/<key>/`` with
the same parameters (``--records``, default satisfaction, ratings and done), for every district in
the database (the demo, and 云溪区（×10） when it exists); then the list pages of bench/list_pages.py.
Prints a markdown table of the median and p95 server time and the SQL queries per request; a page
that does not answer 200 is listed with its status instead.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from list_pages import OUTCOME_PAGES, PAGES, measure  # sets up Django before the models below

from shangliang.demo.district import DISTRICT_CODE
from shangliang.orgs.models import Region

BIG_CODE = "330198000000"  # bench/generate_district.py


def client_for(username: str) -> Client:
    # A server error is reported in the table, not raised.
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def row(client: Client, label: str, url: str, who: str, repeat: int) -> str:
    try:
        median, p95, queries = measure(client, url, repeat)
    except AssertionError:
        status = client.get(url).status_code
        return f"| {label} `{url}` | {who} | status {status} | – | – |"
    return f"| {label} `{url}` | {who} | {median:.1f} | {p95:.1f} | {'/'.join(map(str, queries))} |"


def dashboard_urls(district: Region, year: int, records: list[str]) -> list[tuple[str, str]]:
    query = f"?region={district.pk}&year={year}"
    try:
        urls = [("看板 dashboard", reverse("dashboard:index") + query)]
        urls += [(f"明细 records: {key}", reverse("dashboard:records", args=[key]) + query) for key in records]
        return urls
    except NoReverseMatch as error:
        print(f"<!-- dashboard URLs missing: {error} -->")
        return []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--year", type=int, default=timezone.localdate().year)
    parser.add_argument("--no-lists", action="store_true", help="time the dashboard only")
    # "satisfaction" as asked for; "ratings" is the figure the dashboard lists the ratings under.
    parser.add_argument("--records", default="satisfaction,ratings,done", help="drill-downs to time, by key")
    args = parser.parse_args()
    admin = client_for("admin")
    print("| page | district / account | median ms | p95 ms | queries |\n|---|---|---|---|---|")
    for district in Region.objects.filter(code__in=[DISTRICT_CODE, BIG_CODE]).order_by("-code"):
        for label, url in dashboard_urls(district, args.year, args.records.split(",")):
            print(row(admin, label, url, f"{district.name} / admin", args.repeat), flush=True)
    if args.no_lists:
        return
    for label, url in PAGES:
        print(row(admin, label, url, "admin", args.repeat), flush=True)
    for label, url, usernames in OUTCOME_PAGES:
        for username in usernames[:1]:
            client = admin if username == "admin" else client_for(username)
            print(row(client, label, url, username, args.repeat), flush=True)


if __name__ == "__main__":
    main()
