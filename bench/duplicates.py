"""Score the similar-submission finder against the duplicates planted in the demo data.

Usage:

    SHANGLIANG_DEBUG=1 .venv/bin/python bench/duplicates.py [--sample N] [--existing]

By default it migrates and seeds a fresh demo database in a temporary SQLite file, so the
development database is left alone; ``--existing`` uses the database configured in the
environment instead (it must hold the seeded demo district).

Each planted pair is a later submission and the earlier one it repeats in other words. The finder
(``selectors.similar_submissions``) runs on the later one, as the screener would; the pair is caught
when the earlier one is among the suggestions (top 5 at or above the threshold). The finder also
runs on the earlier ones and on a sample of the other submissions (all of them by default); every
suggestion that is not a planted pair is a false suggestion. Prints the details, then a markdown
summary for docs/benchmarks.md.
"""

import argparse
import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=0, help="other submissions to probe (0: all of them)")
    parser.add_argument("--existing", action="store_true", help="use the configured database, already seeded")
    return parser.parse_args()


ARGS = parse_args()
if not ARGS.existing:
    TEMP_DIR = tempfile.mkdtemp(prefix="shangliang-bench-")
    atexit.register(shutil.rmtree, TEMP_DIR, ignore_errors=True)
    os.environ["SHANGLIANG_DATABASE_URL"] = f"sqlite:///{TEMP_DIR}/bench.sqlite3"
    os.environ["SHANGLIANG_DATA_DIR"] = TEMP_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shangliang.settings")
os.environ.setdefault("SHANGLIANG_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from shangliang.demo.topics import demo_duplicate_pairs  # noqa: E402
from shangliang.orgs.selectors import path_ids  # noqa: E402
from shangliang.topics import selectors  # noqa: E402
from shangliang.topics.models import Submission  # noqa: E402
from shangliang.topics.states import SubmissionStatus  # noqa: E402

TOP = 5
SWEEP = (0.10, 0.15, 0.20, 0.25, 0.30, 0.35)
CANDIDATE_STATUSES = {SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED, SubmissionStatus.DRAFTED}


def township_of(submission) -> int:
    return path_ids(submission.region.path)[1]


def duplicate_groups(pairs) -> dict[int, int]:
    """Submission id → group id; a submission repeated by two others makes one group of three."""
    group = {}
    for later, earlier in pairs:
        root = group.setdefault(earlier, earlier)
        group[later] = root
    return group


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def why_missed(later, earlier, results) -> str:
    # The same text similar_submissions compares (title twice, then the content).
    score = selectors.text_similarity(selectors.similarity_text(later), selectors.similarity_text(earlier))
    if township_of(later) != township_of(earlier):
        return f"score {score:.2f}, other township"
    if earlier.status not in CANDIDATE_STATUSES:
        return f"score {score:.2f}, earlier one is {earlier.status} (not compared)"
    if score < selectors.SIMILARITY_THRESHOLD:
        return f"score {score:.2f} < threshold {selectors.SIMILARITY_THRESHOLD}"
    return f"score {score:.2f}, outranked by {len(results)} others"


def score_suggestions(pairs, group, found):
    """Caught and missed planted pairs, and the distinct suggested pairs that are and are not planted."""
    caught, missed = [], []
    for later, earlier in pairs:
        suggested = [s.submission.pk for s in found[later]]
        if earlier in suggested:
            caught.append((later, earlier, found[later][suggested.index(earlier)].score, suggested.index(earlier) + 1))
        else:
            missed.append((later, earlier))
    true_pairs, false_pairs = set(), {}
    for pk, results in found.items():
        for similar in results:
            other = similar.submission.pk
            key = (min(pk, other), max(pk, other))
            if pk in group and group.get(other) == group[pk]:
                true_pairs.add(key)
            else:
                false_pairs[key] = max(similar.score, false_pairs.get(key, 0))
    return caught, missed, true_pairs, false_pairs


def main():
    seed_seconds = None
    if not ARGS.existing:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        seed_seconds = time.perf_counter() - started

    pairs = demo_duplicate_pairs()
    group = duplicate_groups(pairs)
    submissions = {s.pk: s for s in Submission.objects.select_related("region", "topic")}
    in_pairs = {pk for pair in pairs for pk in pair}
    others = sorted(set(submissions) - in_pairs)
    if ARGS.sample:
        others = sorted(random.Random(0).sample(others, min(ARGS.sample, len(others))))
    probes = [*sorted(in_pairs), *others]

    selectors.similar_submissions(submissions[probes[0]])  # warm up: first query, imports
    found, times, queries = {}, [], set()
    for pk in probes:
        # The debug query log is a bounded deque, full after seeding: empty it so that counting works.
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            found[pk] = selectors.similar_submissions(submissions[pk], limit=TOP)
            times.append((time.perf_counter() - started) * 1000)
        queries.add(len(ctx.captured_queries))
    caught, missed, true_pairs, false_pairs = score_suggestions(pairs, group, found)

    # The same probes with other thresholds: the trade-off between caught pairs and false suggestions.
    sweep = {}
    current = selectors.SIMILARITY_THRESHOLD
    for threshold in SWEEP:
        selectors.SIMILARITY_THRESHOLD = threshold
        results = {pk: selectors.similar_submissions(submissions[pk], limit=TOP) for pk in probes}
        sweep[threshold] = score_suggestions(pairs, group, results)
    selectors.SIMILARITY_THRESHOLD = current
    missed = [
        (later, earlier, why_missed(submissions[later], submissions[earlier], found[later]))
        for later, earlier in missed
    ]

    def label(pk):
        s = submissions[pk]
        return f"#{pk} [{s.region.name}·{s.get_status_display()}] {s.title}"

    print(f"Planted pairs: {len(pairs)}; probed submissions: {len(probes)}")
    print(f"\nCaught ({len(caught)}):")
    for later, earlier, score, rank in caught:
        print(f"  {score:.2f} rank {rank}  {label(later)}  →  {label(earlier)}")
    print(f"\nMissed ({len(missed)}):")
    for later, earlier, reason in missed:
        print(f"  {reason}")
        for pk in (later, earlier):
            s = submissions[pk]
            print(f"      {label(pk)}: {s.content}")
    print(f"\nFalse suggestions ({len(false_pairs)} distinct pairs):")
    for (a, b), score in sorted(false_pairs.items(), key=lambda item: -item[1]):
        print(f"  {score:.2f}  {label(a)}  ~  {label(b)}")

    candidates = [
        Submission.objects.filter(
            region__path__startswith="/" + "".join(f"{i:08d}/" for i in path_ids(submissions[pk].region.path)[:2]),
            status__in=CANDIDATE_STATUSES,
        ).count()
        for pk in probes
    ]
    suggestions = len(true_pairs) + len(false_pairs)
    recall = len(caught) / len(pairs) if pairs else 0
    precision = len(true_pairs) / suggestions if suggestions else 0
    print("\n### Similar submissions on the demo data\n")
    print(f"`bench/duplicates.py` on a freshly seeded demo district ({len(submissions)} submissions;")
    print(
        f"finder: character-bigram cosine, threshold {selectors.SIMILARITY_THRESHOLD}, top {TOP}, "
        "same township, open or drafted submissions only).\n"
    )
    print("| measure | value |\n|---|---|")
    print(f"| planted duplicate pairs | {len(pairs)} |")
    print(f"| caught (earlier one suggested for the later one) | {len(caught)} ({recall:.0%}) |")
    print(f"| submissions probed | {len(probes)} |")
    print(f"| distinct pairs suggested | {suggestions} |")
    print(f"| of which planted duplicates | {len(true_pairs)} ({precision:.0%}) |")
    print(f"| false suggestions (distinct pairs) | {len(false_pairs)} |")
    print(
        f"| time per call, median / p95 / max | {statistics.median(times):.1f} / {percentile(times, 0.95):.1f} / "
        f"{max(times):.1f} ms |"
    )
    print(f"| submissions compared per call, median / max | {statistics.median(candidates):.0f} / {max(candidates)} |")
    print(f"| SQL queries per call | {'/'.join(map(str, sorted(queries)))} |")
    if seed_seconds is not None:
        print(f"| `seed_demo` on an empty SQLite database | {seed_seconds:.1f} s |")
    print("\nThe same probes at other thresholds (top 5 kept):\n")
    print("| threshold | pairs caught | false suggestions | share of suggestions that are planted pairs |")
    print("|---|---|---|---|")
    for threshold, (t_caught, _missed, t_true, t_false) in sweep.items():
        shown = len(t_true) + len(t_false)
        share = f"{len(t_true) / shown:.0%}" if shown else "–"
        mark = " (current)" if threshold == current else ""
        print(f"| {threshold:.2f}{mark} | {len(t_caught)} of {len(pairs)} | {len(t_false)} | {share} |")
    if missed:
        print("\nMissed pairs:\n")
        for later, earlier, reason in missed:
            print(f"- “{submissions[later].title}” → “{submissions[earlier].title}”: {reason}")


if __name__ == "__main__":
    main()
