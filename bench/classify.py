"""Train the hotline category model (shangliang.hotline.classify) on labelled messages; predict or score it.

Usage, from the repo root:

    .venv/bin/python bench/classify.py --train TRAIN.csv --test TEST.csv --out PRED.csv
    .venv/bin/python bench/classify.py --cv [CSV] [--folds 5] [--seed 0]

The CSV files have the columns of govmsg/messages_dev.csv (row, 留言编号, 留言时间, 留言主题, text_raw,
text_segmented, 一级标签); the test file has no 一级标签.

Which text of a message is read (``--text``, the same for training and predicting):

- ``raw`` (the default, the issue's reading): ``text_raw`` where present, else ``text_segmented``; the
  closest to what the app classifies (a record's title and text);
- ``segmented``: ``text_segmented`` where present, else ``text_raw``. The segmented form is the whole
  message, subject first, pre-segmented with its stop words dropped; the model reads it with the spaces
  removed. It carries the subject that ``text_raw`` lacks for about a fifth of the messages, and scores
  0.7-0.9 macro-F1 points above the default reading (docs/benchmarks.md).

- ``--train/--test/--out`` trains on TRAIN, writes ``row,label`` for every test message (``row`` copied
  from the input, since 留言编号 is sometimes empty) and prints the training and prediction times.
- ``--cv`` (the CSV defaults to ../shared/data/govmsg/messages_dev.csv) prints, for our method and for the
  plain baseline (scikit-learn's TF-IDF of character 1-2-grams + LinearSVC, same folds), each on both
  readings: stratified k-fold macro-F1, accuracy and F1 per class; then the time to train on all
  messages and the messages per second predicting them (default reading, best of 3, from the CSV's text
  to the label, one process); then a markdown table for docs/benchmarks.md.
"""

import argparse
import csv
import os
import platform
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shangliang.hotline import classify  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "govmsg" / "messages_dev.csv"
LABEL = "一级标签"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, help="labelled messages to train on")
    parser.add_argument("--test", type=Path, help="messages to classify")
    parser.add_argument("--out", type=Path, help="where to write row,label")
    parser.add_argument("--cv", nargs="?", type=Path, const=DEFAULT_DATA, help="cross-validate on this CSV")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--text",
        choices=tuple(READINGS),
        default="raw",
        help="which text of a message trains and is predicted (see the description above)",
    )
    args = parser.parse_args()
    if args.cv is None and not (args.train and args.test and args.out):
        parser.error("give --train, --test and --out, or --cv")
    return args


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def raw_text_of(row: dict) -> str:
    return (row.get("text_raw") or "").strip() or (row.get("text_segmented") or "").strip()


def segmented_text_of(row: dict) -> str:
    return (row.get("text_segmented") or "").strip() or (row.get("text_raw") or "").strip()


READINGS = {"segmented": segmented_text_of, "raw": raw_text_of}


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def predict_file(args) -> None:
    rows = read(args.train)
    text_of = READINGS[args.text]
    texts, labels = [text_of(r) for r in rows], [r[LABEL] for r in rows]
    started = time.perf_counter()
    model = classify.train(texts, labels)
    trained = time.perf_counter() - started
    test = read(args.test)
    started = time.perf_counter()
    predicted = classify.predict(model, [text_of(r) for r in test])
    predicting = time.perf_counter() - started
    with args.out.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["row", "label"])
        for i, (row, label) in enumerate(zip(test, predicted, strict=True)):
            writer.writerow([row.get("row", i), label])
    print(f"trained on {len(texts)} texts in {trained:.1f} s")
    print(f"predicted {len(test)} messages in {predicting:.2f} s ({len(test) / max(predicting, 1e-9):,.0f}/s)")
    print(f"wrote {args.out}")


class Baseline:
    """The plain method to beat: TF-IDF of character 1-2-grams and a linear SVM, scikit-learn defaults."""

    def __init__(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline
        from sklearn.svm import LinearSVC

        self.pipeline = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), LinearSVC())

    def fit(self, texts, labels):
        self.pipeline.fit([classify.prepare(t) for t in texts], labels)
        return self

    def predict(self, texts):
        return list(self.pipeline.predict([classify.prepare(t) for t in texts]))


def baseline_figures(texts, labels, folds, seed) -> classify.Figures:
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    truth = np.array(labels)
    predicted = np.empty(len(labels), dtype=object)
    for fit_rows, test_rows in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, truth):
        model = Baseline().fit([texts[i] for i in fit_rows], truth[fit_rows])
        predicted[test_rows] = model.predict([texts[i] for i in test_rows])
    names = sorted(set(labels))
    per_label = f1_score(truth, predicted.astype(str), labels=names, average=None)
    return classify.Figures(
        macro_f1=float(per_label.mean()),
        accuracy=float(accuracy_score(truth, predicted.astype(str))),
        per_label_f1=dict(zip(names, map(float, per_label), strict=True)),
        n=len(labels),
        folds=folds,
        seed=seed,
    )


def timed(train, predict, texts, labels) -> tuple[float, float]:
    """Seconds to train on all texts, and messages per second predicting them (best of 3)."""
    started = time.perf_counter()
    model = train(texts, labels)
    trained = time.perf_counter() - started
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        predict(model, texts)
        best = min(best, time.perf_counter() - started)
    return trained, len(texts) / best


def show(name: str, figures: classify.Figures, seconds: float) -> None:
    print(f"\n{name}: macro-F1 {figures.macro_f1:.4f}, accuracy {figures.accuracy:.4f} ({seconds:.0f} s)")
    for label, f1 in figures.per_label_f1.items():
        print(f"  {label:<8} {f1:.4f}")


def cross_validation(args) -> None:
    rows = read(args.cv)
    labels = [r[LABEL] for r in rows]
    texts = {reading: [text_of(r) for r in rows] for reading, text_of in READINGS.items()}
    with_raw = sum(bool((r.get("text_raw") or "").strip()) for r in rows)
    print(f"{args.cv}: {len(rows)} messages, {with_raw} with text_raw")
    print(f"{args.folds}-fold stratified cross-validation, seed {args.seed}; {machine()}")
    readings = [args.text] + [reading for reading in READINGS if reading != args.text]
    results = {}
    for method in ("ours", "baseline"):
        for reading in readings:
            name = f"{method}, {reading}"
            started = time.perf_counter()
            if method == "ours":
                results[name] = classify.cross_validate(texts[reading], labels, args.folds, args.seed)
            else:
                results[name] = baseline_figures(texts[reading], labels, args.folds, args.seed)
            show(name, results[name], time.perf_counter() - started)
    default = texts[args.text]
    ours_speed = timed(classify.train, classify.predict, default, labels)
    baseline_speed = timed(lambda t, y: Baseline().fit(t, y), lambda m, t: m.predict(t), default, labels)
    for name, (trained, rate) in (("ours", ours_speed), ("baseline", baseline_speed)):
        print(f"{name}, {args.text}: trains on all {len(default)} in {trained:.1f} s, predicts {rate:,.0f} messages/s")

    names = list(results[f"ours, {args.text}"].per_label_f1)
    counts = Counter(labels)
    print(f"\n| figure ({date.today()}) | " + " | ".join(results) + " |")
    print("|---|" + "---:|" * len(results))
    for key, title in (("macro_f1", "macro-F1"), ("accuracy", "accuracy")):
        print(f"| {title} | " + " | ".join(f"{getattr(f, key):.4f}" for f in results.values()) + " |")
    for label in names:
        cells = " | ".join(f"{f.per_label_f1[label]:.4f}" for f in results.values())
        print(f"| F1 {label} ({counts[label]:,}) | {cells} |")
    blank = " |" * (len(readings) - 1)
    for title, (ours, baseline) in (
        (f"training on all {len(default):,} (s)", (f"{ours_speed[0]:.1f}", f"{baseline_speed[0]:.1f}")),
        ("predicting (messages/s, 1 process)", (f"{ours_speed[1]:,.0f}", f"{baseline_speed[1]:,.0f}")),
    ):
        print(f"| {title} | {ours} |{blank} {baseline} |{blank}")


def main():
    args = parse_args()
    if args.cv is not None:
        cross_validation(args)
    else:
        predict_file(args)


if __name__ == "__main__":
    main()
