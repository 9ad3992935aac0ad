"""Score units' replies to citizen messages (答复质量) and show how the scores are spread.

Usage (from the repository root):

    .venv/bin/python bench/reply_quality.py --replies ../shared/data/govmsg/replies.csv --out /tmp/scores.csv
    .venv/bin/python bench/reply_quality.py --out /tmp/scores.csv --shuffled --examples 20 --seed 17

Input: a CSV in ``replies.csv`` format (留言编号,留言用户,留言主题,留言时间,留言详情,答复意见,答复时间).
Output: ``--out`` with one row per reply: ``row`` (the input's data row, from 1, as 留言编号 may repeat
or be empty), 留言编号, the total and its four parts (an empty part was not scored), working days,
points asked, ``is_low`` and the flags. Scoring is ``shangliang.core.reply_quality.score``, the
code the app runs, with the message's subject (留言主题) as ``subject`` and its text (留言详情) as the
question; working days follow the official calendar (``chinese_calendar``: holidays and 调休 days,
Mon–Fri outside its table), the one the app's calendar is built on.

Reports (markdown, for docs/benchmarks.md):

- the distribution of the total and of each part: mean, quartiles and a histogram in tenths;
- the share of replies with each flag and the share marked low;
- time per reply (the first call loads jieba's dictionary: timed apart as start-up);
- ``--shuffled``: every question scored against another message's reply (a fixed random pairing), the
  same figures for these certainly-wrong answers: how often relevance calls them 答非所问, next to how
  often it calls the real replies so;
- ``--examples N``: N replies drawn evenly from the low, middle and high thirds of the total (seeded),
  printed with their parts and reasons, for reading by hand.
"""

import argparse
import csv
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shangliang.core import reply_quality

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "govmsg"
PARTS = ("timeliness", "relevance", "completeness", "basis")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", default=str(DATA / "replies.csv"), help="CSV in replies.csv format")
    parser.add_argument("--out", default=None, help="where to write the per-reply scores")
    parser.add_argument("--due", type=int, default=10, help="working days a reply is due in")
    parser.add_argument("--shuffled", action="store_true", help="also score each question against another's reply")
    parser.add_argument("--examples", type=int, default=0, help="print this many replies to check by hand")
    parser.add_argument("--seed", type=int, default=17)
    return parser.parse_args()


def parse_time(value: str) -> datetime | None:
    value = (value or "").strip()
    for layout in TIME_FORMATS:
        try:
            return datetime.strptime(value, layout)
        except ValueError:
            continue
    return None


def official_working_days(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` by the official calendar (with 调休)."""
    if end <= start:
        return 0
    try:
        return len(chinese_calendar.get_workdays(start + timedelta(days=1), end))
    except NotImplementedError:  # outside the package's table of years
        return reply_quality.weekdays_between(start, end)


def read(path: str) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def score_all(rows: list[dict], replies: list[str], due: int) -> list:
    return [
        reply_quality.score(
            row.get("留言详情", ""),
            reply,
            parse_time(row.get("留言时间", "")),
            parse_time(row.get("答复时间", "")),
            subject=row.get("留言主题", ""),
            working_days_between=official_working_days,
            due_working_days=due,
        )
        for row, reply in zip(rows, replies, strict=True)
    ]


def values(scores: list, name: str) -> list[float]:
    if name == "total":
        return [s.total for s in scores]
    return [part.score for s in scores if (part := getattr(s, name)).score is not None]


def distribution(scores: list) -> list[str]:
    lines = [
        "| score | n | mean | Q1 | median | Q3 | histogram by tenths (0–0.1 … 0.9–1.0) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("total", *PARTS):
        numbers = values(scores, name)
        q1, median, q3 = statistics.quantiles(numbers, n=4, method="inclusive")
        tenths = Counter(min(9, int(x * 10)) for x in numbers)
        histogram = " ".join(str(tenths[i]) for i in range(10))
        lines.append(
            f"| {name} | {len(numbers)} | {statistics.fmean(numbers):.2f} | {q1:.2f} | {median:.2f} | {q3:.2f} "
            f"| {histogram} |"
        )
    return lines


def flag_shares(scores: list) -> list[str]:
    counts = Counter(flag for s in scores for flag in s.flags)
    n = len(scores)
    lines = ["| flag | replies | share |", "|---|---|---|"]
    for flag in reply_quality.FLAGS:
        lines.append(f"| {flag} | {counts[flag]} | {counts[flag] / n:.1%} |")
    low = sum(s.is_low for s in scores)
    lines.append(
        f"| is_low (total < {reply_quality.LOW_BELOW} or 未作答复/仅作程序性答复/答非所问) | {low} | {low / n:.1%} |"
    )
    return lines


def off_topic_share(scores: list) -> float:
    """Share of replies flagged 答非所问 among those that say something beyond procedure."""
    said = [s for s in scores if not {reply_quality.PROCEDURAL, reply_quality.NO_REPLY} & set(s.flags)]
    return sum(reply_quality.OFF_TOPIC in s.flags for s in said) / len(said)


def write(path: str, rows: list[dict], scores: list) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["row", "留言编号", "total", *PARTS, "working_days", "points", "is_low", "flags"])
        for number, (row, s) in enumerate(zip(rows, scores, strict=True), start=1):
            parts = ["" if (x := getattr(s, name).score) is None else f"{x:.3f}" for name in PARTS]
            days = "" if s.working_days is None else s.working_days
            flags = ";".join(s.flags)
            out.writerow(
                [number, row.get("留言编号", ""), f"{s.total:.3f}", *parts, days, len(s.points), int(s.is_low), flags]
            )


def examples(rows: list[dict], scores: list, count: int, seed: int) -> None:
    order = sorted(range(len(rows)), key=lambda i: scores[i].total)
    thirds = [order[: len(order) // 3], order[len(order) // 3 : 2 * len(order) // 3], order[2 * len(order) // 3 :]]
    rng = random.Random(seed)
    picked = []
    for number, third in enumerate(thirds):
        picked += rng.sample(third, count // 3 + (1 if number < count % 3 else 0))
    for i in sorted(picked, key=lambda i: scores[i].total):
        row, s = rows[i], scores[i]
        number = row.get("留言编号", "")
        print(f"\n### row {i + 1} (留言编号 {number}): total {s.total:.2f}, low {s.is_low}, flags {s.flags}")
        print("subject:", row.get("留言主题", ""))
        print("question:", row.get("留言详情", "")[:400])
        print("reply:", row.get("答复意见", "")[:600])
        print("points:", " | ".join(p[:60] for p in s.points))
        for name, part in s.parts().items():
            shown = "—" if part.score is None else f"{part.score:.2f}"
            print(f"  {name}: {shown} {part.text}")


def main():
    args = parse_args()
    rows = read(args.replies)
    replies = [row.get("答复意见", "") for row in rows]

    started = time.perf_counter()
    reply_quality.score("请问路灯什么时候修好？", "经核实，该路灯已于5月3日修复。", date(2025, 5, 1), date(2025, 5, 6))
    start_up = time.perf_counter() - started

    started = time.perf_counter()
    scores = score_all(rows, replies, args.due)
    elapsed = time.perf_counter() - started
    if args.out:
        write(args.out, rows, scores)

    print(f"## Reply quality on {Path(args.replies).name}: {len(rows):,} replies\n")
    print(*distribution(scores), sep="\n")
    print()
    print(*flag_shares(scores), sep="\n")
    print(
        f"\nTime: {elapsed / len(rows) * 1000:.2f} ms per reply ({len(rows) / elapsed:,.0f} replies/s, "
        f"{elapsed:.1f} s in all) after {start_up:.1f} s start-up (jieba's dictionary)."
    )
    days = [s.working_days for s in scores if s.working_days is not None]
    within = sum(d <= args.due for d in days)
    print(
        f"Working days taken: median {statistics.median(days):.0f}, within {args.due}: {within / len(days):.1%} "
        f"({within} of {len(days)})."
    )

    if args.shuffled:
        # A shuffled cycle: each question gets the reply of the next message in it, never its own.
        order = list(range(len(rows)))
        random.Random(args.seed).shuffle(order)
        swapped = [""] * len(rows)
        for k, i in enumerate(order):
            swapped[i] = replies[order[(k + 1) % len(order)]]
        wrong = score_all(rows, swapped, args.due)
        print("\n### Each question against another message's reply\n")
        print(*distribution(wrong), sep="\n")
        print()
        print(*flag_shares(wrong), sep="\n")
        print(
            f"\n答非所问 among replies with substance: real pairs {off_topic_share(scores):.1%}, "
            f"shuffled pairs {off_topic_share(wrong):.1%}."
        )

    if args.examples:
        examples(rows, scores, args.examples, args.seed)


if __name__ == "__main__":
    main()
