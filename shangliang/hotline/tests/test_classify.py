"""The category model (hotline.classify) on tiny Chinese records written here: obvious cases, confidence,
storing, cross-validated figures and the training sets it refuses; and bench/classify.py's train/test mode
on CSV files written here. No database, no ../shared data."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from shangliang.hotline import classify

STREETLIGHT = [
    "幸福路的路灯坏了好几天，晚上一片漆黑",
    "小区门口路灯不亮，行人夜里摔倒",
    "建设路路灯晚上不亮，请尽快维修",
    "人民路一排路灯损坏，晚上出行不安全",
    "公园旁边的路灯一直闪烁，请派人维修",
    "新村路灯杆倒了，路灯也不亮",
]
NOISE = [
    "楼下烧烤店噪音扰民，半夜还很吵",
    "工地夜间施工噪音太大，影响休息",
    "广场舞音响噪音扰民，晚上十点还在放",
    "酒吧噪音很大，附近居民睡不着觉",
    "装修噪音从早到晚，周末也不停",
    "夜里货车鸣笛噪音扰民，请管一管",
]
SCHOOL = [
    "孩子上学的学校离家太远，希望就近入学",
    "学校收取校服费用过高，家长有意见",
    "小学放学太早，家长无法接送孩子",
    "学校食堂饭菜质量差，学生吃不饱",
    "希望学校增加课后托管服务",
    "幼儿园学位紧张，孩子报不上名",
]
TEXTS = STREETLIGHT + NOISE + SCHOOL
LABELS = ["路灯"] * len(STREETLIGHT) + ["噪音"] * len(NOISE) + ["学校"] * len(SCHOOL)


@pytest.fixture(scope="module")
def model():
    return classify.train(TEXTS, LABELS)


def test_prepare_reads_a_segmented_text_like_the_original():
    assert classify.prepare("幸福 路 的 路灯 坏 了") == classify.prepare("幸福路的路灯坏了") == "幸福路的路灯坏了"
    assert classify.prepare("Ａ３区 臺灣 C7852 列车，hello  world ") == "A3区台湾C7852列车,hello world"


def test_model_classifies_obvious_new_texts(model):
    new = ["东风路路灯不亮已经一周了", "隔壁饭店噪音扰民到凌晨", "学校要求家长买指定的校服"]
    assert classify.predict(model, new) == ["路灯", "噪音", "学校"]


def test_model_reads_segmented_and_traditional_texts_like_the_original(model):
    texts = ["东风路路灯不亮已经一周了", "东风 路 路灯 不亮 已经 一周", "東風路路燈不亮已經一週了"]
    assert classify.predict(model, texts) == ["路灯"] * 3


def test_confidence_is_higher_for_a_clear_text_than_for_a_mixed_or_empty_one(model):
    (clear, sure), (mixed, unsure), (_, blank) = classify.predict_with_confidence(
        model, ["路灯坏了晚上不亮，请维修路灯", "学校旁边工地噪音大，路灯也不亮", ""]
    )
    assert clear == "路灯"
    assert all(0 <= c <= 1 for c in (sure, unsure, blank))
    assert sure > unsure
    assert sure > blank


def test_predicting_nothing_gives_nothing(model):
    assert classify.predict(model, []) == []
    assert classify.predict_with_confidence(model, []) == []


def test_a_stored_model_predicts_the_same(model):
    data = classify.dumps(model)
    assert isinstance(data, bytes)
    loaded = classify.loads(data)
    texts = ["东风路路灯不亮", "饭店噪音扰民", "学校校服太贵", "无关的内容"]
    assert loaded.labels == model.labels == ("噪音", "学校", "路灯")
    assert loaded.training_size == len(TEXTS)
    assert classify.predict_with_confidence(loaded, texts) == classify.predict_with_confidence(model, texts)


def test_loading_bytes_that_are_not_a_model_is_refused():
    with pytest.raises(ValueError):
        classify.loads(b"not a model")


def test_training_needs_two_categories():
    with pytest.raises(classify.TrainingDataError) as refused:
        classify.train(STREETLIGHT, ["路灯"] * len(STREETLIGHT))
    assert refused.value.code == "too_few_labels"
    with pytest.raises(classify.TrainingDataError):
        classify.cross_validate(STREETLIGHT, ["路灯"] * len(STREETLIGHT))


def test_a_tiny_training_set_trains_and_cross_validates_with_fewer_folds():
    texts, labels = STREETLIGHT[:3] + NOISE[:3], ["路灯"] * 3 + ["噪音"] * 3
    model = classify.train(texts, labels)
    assert classify.predict(model, ["路灯不亮", "噪音扰民"]) == ["路灯", "噪音"]
    figures = classify.cross_validate(texts, labels, folds=5)
    assert figures.folds == 3
    assert figures.n == 6


def test_cross_validation_needs_two_records_in_each_category():
    with pytest.raises(classify.TrainingDataError) as refused:
        classify.cross_validate(STREETLIGHT + NOISE[:1], ["路灯"] * len(STREETLIGHT) + ["噪音"])
    assert refused.value.code == "too_few_records"


def test_cross_validation_gives_sane_figures():
    figures = classify.cross_validate(TEXTS, LABELS, folds=3, seed=1)
    assert (figures.n, figures.folds, figures.seed) == (len(TEXTS), 3, 1)
    assert set(figures.per_label_f1) == {"路灯", "噪音", "学校"}
    assert all(0 <= f <= 1 for f in figures.per_label_f1.values())
    assert figures.macro_f1 == pytest.approx(sum(figures.per_label_f1.values()) / 3)
    assert figures.macro_f1 >= 0.8
    assert figures.accuracy >= 0.8
    stored = json.loads(json.dumps(classify.figures_dict(figures), ensure_ascii=False))
    assert stored["n"] == len(TEXTS)
    assert stored["macro_f1"] == round(figures.macro_f1, 4)


def test_cross_validation_can_train_on_another_wording():
    segmented = [" ".join(text) for text in TEXTS]
    figures = classify.cross_validate(TEXTS, LABELS, folds=3, training_texts=segmented)
    assert figures.macro_f1 >= 0.8
    with pytest.raises(ValueError):
        classify.cross_validate(TEXTS, LABELS, training_texts=segmented[:-1])


def test_confidence_is_calibrated_once_each_category_has_enough_records():
    places = ["幸福路", "建设路", "人民路", "东风路", "新村", "公园"]
    texts, labels = [], []
    for place in places * 2:
        texts += [f"{place}路灯不亮，晚上太黑", f"{place}饭店噪音扰民到半夜", f"{place}学校校服收费太贵"]
        labels += ["路灯", "噪音", "学校"]
    assert classify.train(texts, labels).temperature != classify.DEFAULT_TEMPERATURE
    assert classify.train(TEXTS, LABELS).temperature == classify.DEFAULT_TEMPERATURE


COLUMNS = ["row", "留言编号", "留言时间", "留言主题", "text_raw", "text_segmented"]


def _write_messages(path, rows, *, labelled):
    columns = COLUMNS + ["一级标签"] if labelled else COLUMNS
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows(rows)


def _run_bench(tmp_path, *options):
    train, test, out = tmp_path / "train.csv", tmp_path / "test.csv", tmp_path / "pred.csv"
    pairs = zip(TEXTS, LABELS, strict=True)
    _write_messages(train, [[i, "", "", "", t, " ".join(t), y] for i, (t, y) in enumerate(pairs)], labelled=True)
    _write_messages(
        test,
        [
            # The two forms disagree: which one decides shows which one is read.
            [40, "", "", "", "隔壁饭店噪音扰民到凌晨", "东风 路 路灯 不亮 已经 一周"],
            # No segmented form: the original text is read.
            [7, "", "", "", "学校要求家长买指定的校服", ""],
        ],
        labelled=False,
    )
    bench = Path(__file__).resolve().parents[3] / "bench" / "classify.py"
    command = [sys.executable, str(bench), "--train", str(train), "--test", str(test), "--out", str(out), *options]
    subprocess.run(command, check=True, capture_output=True)
    with out.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def test_bench_labels_each_test_row_from_its_original_text_by_default(tmp_path):
    assert _run_bench(tmp_path) == [["row", "label"], ["40", "噪音"], ["7", "学校"]]


def test_bench_reads_the_segmented_text_when_asked(tmp_path):
    assert _run_bench(tmp_path, "--text", "segmented") == [["row", "label"], ["40", "路灯"], ["7", "学校"]]
