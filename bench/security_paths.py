"""Time the request paths the security controls sit on, and count their SQL queries.

Usage (after `make run` has seeded the demo, or `python manage.py seed_demo`):

    SHANGLIANG_DEBUG=1 .venv/bin/python bench/security_paths.py [--repeat 30]

Measures, through Django's test client (no network): the authorising media view's look-up of
a stored file, a failed login (lockout counters) and an anonymous submission refused by
the form (rate-limit counter in the shared cache). Rate-limit counters of the run are cleared.
"""

import argparse
import itertools
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

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def measure(label: str, send, repeat: int) -> None:
    send()
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            status = send().status_code
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"| {label} | {status} | {statistics.median(times):.1f} | {p95:.1f} | {queries} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    settings.SHANGLIANG_RATE_LIMITS = dict.fromkeys(settings.SHANGLIANG_RATE_LIMITS, "100000/1m")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    names = itertools.count()  # a new name each time: the lock of one (name, address) stays out of it
    print("| path | status | median ms | p95 ms | queries |")
    print("|---|---|---|---|---|")
    # A name no record owns: the whole look-up runs and answers 404, as for anyone not allowed.
    for url in ("/media/cases/1/0123456789abcdef.jpg", "/media/research/2026/01/0123456789abcdef.pdf"):
        measure(f"media view, file not on record `{url}`", lambda url=url: client.get(url), args.repeat)
    measure(
        "failed login `/accounts/login/`",
        lambda: client.post("/accounts/login/", {"username": f"nobody-{next(names)}", "password": "wrong"}),
        args.repeat,
    )
    measure(
        "anonymous submission refused by the form `/submit/`",
        lambda: client.post("/submit/", {"title": ""}),
        args.repeat,
    )
    caches["ratelimit"].clear()


if __name__ == "__main__":
    main()
