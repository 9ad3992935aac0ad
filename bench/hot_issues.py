"""Find the hot issues (热点诉求) in a file of citizen messages and measure how well and how fast.

Usage (from the repository root):

    .venv/bin/python bench/hot_issues.py --messages ../shared/data/govmsg/hot_messages.csv --out /tmp/groups.csv
    .venv/bin/python bench/hot_issues.py --out /tmp/groups.csv --baseline --incremental
    .venv/bin/python bench/hot_issues.py --out /tmp/groups1m.csv --synthetic 1000000 [--incremental]

Input: a CSV in ``hot_messages.csv`` format (留言编号,留言用户,留言主题,留言时间,留言详情,点赞数,反对数).
Output: ``--out`` with ``留言编号,group`` for every message, and beside it ``<out>.top.csv`` (``.csv``
replaced by ``.top.csv``) with ``rank,group,heat,size,title``, hottest first. Grouping, heat and titles
are ``shangliang.hotline.grouping``, the code the app runs.

Reports (markdown, for docs/benchmarks.md):

- time of the whole path (read, normalise, group, rank, write) and of grouping alone;
- when ``--examples`` exists (default: ``hot_example_groups.csv`` beside the messages), for each example
  issue the group holding most of its messages, its rank, precision and recall; precision is also
  given counting as the issue's the group's messages that repeat an example message (bigram Jaccard
  ≥ REPEAT_AT: the file holds most example messages twice, under another number);
- the ten hottest groups with their heat parts;
- ``--baseline``: TF-IDF (jieba words) + truncated SVD + average-linkage agglomerative clustering on
  the same messages, timed in the same run, with the same example figures;
- ``--incremental``: group the oldest 90 % from scratch, then ``assign_new`` the newest 10 %; its time
  and its agreement with grouping everything from scratch;
- ``--synthetic N``: N records made from the real texts (each copy of the file gets its own invented
  place names in place of the ones found, and its own date shift; records naming no place get one),
  to time a district-sized load; peak memory is the process's ``ru_maxrss``. Synthetic texts are made
  from texts normalised once, as the app stores them normalised at import.
"""

import argparse
import csv
import gc
import os
import random
import resource
import sys
import time
import zlib
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shangliang.core.text import normalise
from shangliang.hotline import grouping

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "govmsg"
TOP = 10
# Bigram Jaccard at which a message repeats an example message.
REPEAT_AT = 0.8


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", default=str(DATA / "hot_messages.csv"), help="CSV in hot_messages.csv format")
    parser.add_argument("--out", required=True, help="where to write 留言编号,group (and .top.csv beside it)")
    parser.add_argument("--examples", default=None, help="example issues (default: hot_example_groups.csv beside)")
    parser.add_argument("--baseline", action="store_true", help="also run TF-IDF + SVD + agglomerative")
    parser.add_argument("--incremental", action="store_true", help="also time grouping 90 %% then adding 10 %%")
    parser.add_argument("--synthetic", type=int, default=0, help="make this many records from the real ones")
    return parser.parse_args()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_rows(path: str) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def to_records(rows: list[dict]) -> list[grouping.Record]:
    return [
        grouping.Record(
            id=row["留言编号"],
            title=normalise(row["留言主题"]),
            text=normalise(row["留言详情"]),
            time=datetime.fromisoformat(row["留言时间"].strip()),
            person=row["留言用户"],
            likes=int(row["点赞数"] or 0),
            dislikes=int(row["反对数"] or 0),
        )
        for row in rows
    ]


def top_path(out: str) -> Path:
    path = Path(out)
    return path.with_name(
        path.name[: -len(".csv")] + ".top.csv" if path.name.endswith(".csv") else path.name + ".top.csv"
    )


def write(out: str, records, assignment: dict, summaries) -> None:
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["留言编号", "group"])
        writer.writerows([r.id, assignment[r.id]] for r in records)
    with open(top_path(out), "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rank", "group", "heat", "size", "title"])
        writer.writerows(
            [rank, s.group, f"{s.heat.score:.3f}", s.heat.records, s.title] for rank, s in enumerate(summaries, 1)
        )


# --- example issues ----------------------------------------------------------------------------------


def read_examples(path: Path) -> dict[str, set[str]]:
    issues: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(str(path)):
        issues[f"{row['issue']} {row['issue_desc']}"].add(row["留言编号"])
    return issues


def bigram_set(record) -> set[str]:
    text = record.title + record.text
    return {text[k : k + 2] for k in range(len(text) - 1)}


def example_report(name: str, records, assignment: dict, summaries, examples: dict[str, set[str]]) -> list[str]:
    """One table row per example issue: its best group, rank, precision, recall."""
    rank_of = {s.group: rank for rank, s in enumerate(summaries, 1)}
    members: dict = defaultdict(set)
    for r in records:
        members[assignment[r.id]].add(r.id)
    by_id = {r.id: r for r in records}
    lines = []
    for issue, ids in examples.items():
        present = [i for i in ids if i in assignment]
        if not present:
            lines.append(f"| {name} | {issue} | not in the file | | | | |")
            continue
        counts = Counter(assignment[i] for i in present)
        best = min(counts, key=lambda g: (-counts[g], len(members[g])))
        group = members[best]
        hit = counts[best]
        # A message that repeats an example message (the file holds most of them twice, under another
        # number, some with the place written differently) counts as the issue's in the second figure.
        example_sets = [bigram_set(by_id[i]) for i in present]
        repeats = sum(
            1
            for i in group
            if i in ids
            or any(len(b & e) / len(b | e) >= REPEAT_AT for e in example_sets for b in [bigram_set(by_id[i])])
        )
        lines.append(
            f"| {name} | {issue} | {rank_of[best]} | {len(group)} | {hit / len(group):.2f} "
            f"({repeats / len(group):.2f}) | {hit / len(ids):.2f} | {len(counts)} |"
        )
    return lines


def top_lines(summaries, count: int = TOP) -> list[str]:
    lines = [
        "| rank | heat | records | people | likes | first – last | title | parts |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for rank, s in enumerate(summaries[:count], 1):
        h = s.heat
        parts = ", ".join(f"{k} {v:.1f}" for k, v in h.parts.items() if v >= 0.05)
        span = f"{h.first:%Y-%m-%d} – {h.last:%Y-%m-%d}"
        lines.append(
            f"| {rank} | {h.score:.2f} | {h.records} | {h.people} | {h.likes} | {span} | {s.title} | {parts} |"
        )
    return lines


# --- the baseline ------------------------------------------------------------------------------------

BASELINE_COMPONENTS = 200
BASELINE_DISTANCE = 0.5


def baseline(records) -> dict:
    """TF-IDF of jieba words, truncated SVD, average-linkage agglomerative clustering on cosine distance:
    the usual recipe, kept here to measure against."""
    import jieba
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    jieba.setLogLevel(60)
    documents = [" ".join(jieba.lcut(f"{r.title} {r.text}")) for r in records]
    tfidf = TfidfVectorizer(token_pattern=r"(?u)\b\w\w+\b", min_df=2, max_df=0.5, sublinear_tf=True)
    matrix = tfidf.fit_transform(documents)
    reduced = normalize(TruncatedSVD(BASELINE_COMPONENTS, random_state=0).fit_transform(matrix))
    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=BASELINE_DISTANCE, metric="cosine", linkage="average"
    ).fit_predict(reduced)
    return {r.id: int(label) for r, label in zip(records, labels, strict=True)}


# --- incremental -------------------------------------------------------------------------------------


def incremental(records, scratch: dict) -> list[str]:
    """Group the oldest 90 % from scratch, add the newest 10 % with assign_new; compare with ``scratch``."""
    from sklearn.metrics import adjusted_rand_score

    ordered = sorted(records, key=lambda r: r.time)
    cut = len(ordered) * 9 // 10
    old, new = ordered[:cut], ordered[cut:]
    started = time.perf_counter()
    assignment, state = grouping.group(old)
    grouped = time.perf_counter() - started
    started = time.perf_counter()
    added, state = grouping.assign_new(state, new)
    adding = time.perf_counter() - started
    assignment.update(added)
    ids = [r.id for r in ordered]
    ari = adjusted_rand_score([scratch[i] for i in ids], [assignment[i] for i in ids])
    old_ids = {r.id for r in old}
    by_inc, by_scr = defaultdict(set), defaultdict(set)
    for i in old_ids:
        by_inc[assignment[i]].add(i)
        by_scr[scratch[i]].add(i)
    agree = joined = 0
    for r in new:
        a, b = by_inc.get(assignment[r.id], set()), by_scr.get(scratch[r.id], set())
        joined += bool(a)
        agree += (not a and not b) or (len(a & b) / len(a | b) >= 0.5 if a or b else False)
    return [
        f"- group the oldest {len(old):,} from scratch: {grouped:.2f} s; `assign_new` the newest {len(new):,}: "
        f"{adding:.2f} s ({len(new) / adding:,.0f} records/s), {joined:,} joined an existing group",
        f"- agreement with grouping all {len(records):,} from scratch: adjusted Rand index {ari:.3f}; "
        f"{agree / len(new):.1%} of the new records have the same old group-mates (Jaccard ≥ 0.5, or none in both)",
        f"- state after it: {len(state.ids):,} groups",
    ]


# --- synthetic ---------------------------------------------------------------------------------------


def name_pool(records) -> list[str]:
    """Characters of the real titles that cannot end or break a place name (so invented names read as
    names: 裂桥把小区 would be read as no name at all)."""
    counts = Counter(ch for r in records for ch in r.title if "\u4e00" <= ch <= "\u9fff")
    special = set("".join(grouping.PLACE_SUFFIXES)) | grouping.NAME_BREAK
    return sorted(ch for ch, n in counts.items() if n >= 3 and ch not in special)


def invented(name: str, copy: int, pool: list[str]) -> str:
    """A place name for copy ``copy`` standing in for ``name``: characters of the pool (chosen by a
    hash of both, so the same name in the same copy always gets the same one) as many as ``name`` has
    before its suffix (so the text around it reads, and is read, as before), then ``name``'s suffix."""
    suffix = next((s for s in grouping.PLACE_SUFFIXES if name.endswith(s) and len(s) < len(name)), "")
    seed = zlib.crc32(f"{copy}|{name}".encode())
    rng = random.Random(seed)
    return "".join(rng.choice(pool) for _ in range(max(2, len(name) - len(suffix)))) + (suffix or "小区")


def synthetic(records, count: int) -> tuple[list, list[int]]:
    """``count`` records from ``records``: copy k of the file renames every place it names and shifts
    every date by its own offset. Returns the records and each one's copy number."""
    pool = name_pool(records)
    places = [
        sorted(
            set(grouping.place_names(r.title) + grouping.place_names(r.text[: grouping.PLACE_CHARS])),
            key=len,
            reverse=True,
        )
        for r in records
    ]
    rng = random.Random(17)
    out, copies = [], []
    copy = 0
    while len(out) < count:
        shift = timedelta(days=rng.randint(-730, 730))
        for r, names in zip(records, places, strict=True):
            if len(out) >= count:
                break
            title, text = r.title, r.text
            if names:
                for name in names:
                    new = invented(name, copy, pool)
                    title, text = title.replace(name, new), text.replace(name, new)
            else:
                new = invented(r.id, copy, pool)
                title, text = new + title, new + text
            out.append(
                grouping.Record(
                    id=f"{r.id}-{copy}",
                    title=title,
                    text=text,
                    time=r.time + shift,
                    person=f"{r.person}-{copy}",
                    likes=r.likes,
                    dislikes=r.dislikes,
                )
            )
            copies.append(copy)
        copy += 1
    return out, copies


# --- main --------------------------------------------------------------------------------------------


def machine() -> str:
    with open("/proc/cpuinfo") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    return f"{os.cpu_count()} cores ({model}), Python {sys.version.split()[0]}"


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    rows = read_rows(args.messages)
    records = to_records(rows)
    read_time = time.perf_counter() - started
    report = [f"Machine: {machine()}; {datetime.now():%Y-%m-%d}.", ""]
    copies = None
    if args.synthetic:
        made = time.perf_counter()
        records, copies = synthetic(records, args.synthetic)
        report.append(
            f"- made {len(records):,} synthetic records from {len(rows):,} messages in "
            f"{time.perf_counter() - made:.1f} s; peak memory so far {peak_mib():,.0f} MiB"
        )
    # The records live to the end: keep the garbage collector from walking them again and again.
    gc.freeze()
    grouping_started = time.perf_counter()
    assignment, state = grouping.group(records)
    group_time = time.perf_counter() - grouping_started
    ranking_started = time.perf_counter()
    now = max(r.time for r in records)
    summaries = grouping.rank(records, assignment, now, state)
    rank_time = time.perf_counter() - ranking_started
    writing_started = time.perf_counter()
    write(args.out, records, assignment, summaries)
    write_time = time.perf_counter() - writing_started
    total = time.perf_counter() - started
    sizes = Counter(s.heat.records for s in summaries)
    report += [
        f"- {len(records):,} records → {len(summaries):,} groups ({sum(n for k, n in sizes.items() if k > 1):,} of 2 "
        f"or more records, largest {max(sizes)}); heat as of {now:%Y-%m-%d %H:%M}",
        f"- total {total:.2f} s: read and normalise {read_time:.2f} s, group {group_time:.2f} s, heat and titles "
        f"{rank_time:.2f} s, write {write_time:.2f} s; peak memory {peak_mib():,.0f} MiB",
        f"- wrote {args.out} and {top_path(args.out)}",
    ]
    if copies is not None:
        by_group = defaultdict(set)
        for r, copy in zip(records, copies, strict=True):
            by_group[assignment[r.id]].add(copy)
        multi = [g for g, s in Counter(assignment.values()).items() if s > 1]
        mixed = sum(1 for g in multi if len(by_group[g]) > 1)
        report.append(
            f"- groups of 2 or more mixing records of different copies (different invented places): "
            f"{mixed:,} of {len(multi):,}"
        )
    examples_path = Path(args.examples) if args.examples else Path(args.messages).with_name("hot_example_groups.csv")
    example_lines = []
    header = [
        "| method | example issue | rank | group size | precision (counting repeats) | recall | groups it fell in |",
        "|---|---|---|---|---|---|---|",
    ]
    if examples_path.exists() and not args.synthetic:
        examples = read_examples(examples_path)
        example_lines = example_report("this module", records, assignment, summaries, examples)
    if args.baseline:
        baseline_started = time.perf_counter()
        base = baseline(records)
        base_time = time.perf_counter() - baseline_started
        base_summaries = grouping.rank(records, base, now)
        report.append(
            f"- baseline (jieba TF-IDF + SVD {BASELINE_COMPONENTS} + average linkage at cosine distance "
            f"{BASELINE_DISTANCE}): {base_time:.2f} s, {len(set(base.values())):,} groups"
        )
        if examples_path.exists() and not args.synthetic:
            example_lines += example_report("baseline", records, base, base_summaries, examples)
        report += ["", "Baseline's ten hottest (same heat):", "", *top_lines(base_summaries)]
    if example_lines:
        report += ["", *header, *example_lines]
    report += ["", "Ten hottest:", "", *top_lines(summaries)]
    del summaries, state  # before the incremental run, which groups 90 % of the records again
    if args.incremental:
        report += ["", "Incremental:", "", *incremental(records, assignment)]
    report.append(f"\nPeak memory at the end: {peak_mib():,.0f} MiB")
    print("\n".join(report))


if __name__ == "__main__":
    main()
