"""The category of a hotline record (its department: 城乡建设, 交通运输 …), learnt from the deployment's own
labelled records.

The method, chosen on the 7,338 labelled messages of govmsg/messages_dev.csv (figures and what else was
tried in docs/benchmarks.md, "Message classification"):

- **text**: Simplified (OpenCC), full-width forms half-width, and no space next to a Chinese character,
  so a pre-segmented export (``市 西湖 建筑 集团``) reads like the original text (``A市西湖建筑集团``);
- **features**, counted with whole-array numpy steps over the characters (scikit-learn's Python
  analyser managed about 1,500 messages a second and jieba about the same; this predicts about 8,000
  a second on one core): character 1-3-grams of the whole text; the same of its first ``HEAD_CHARS``
  characters, where the subject (留言主题) stands, weighted ``HEAD_WEIGHT`` (+0.4 macro-F1 points);
  and, as a second view, the words of a dictionary learnt at training time (jieba's segmentation of
  the training texts) wherever they occur in the text; each block sublinear TF-IDF, L2-normalised;
- **classifier**: per view, one-against-the-rest linear SVMs on naive-Bayes-scaled features (NBSVM,
  Wang & Manning 2012; +0.5 points over the plain SVM); the word view's scores count ``WORD_WEIGHT``
  of the character view's (+0.4 points when the training texts were pre-segmented, none measurable
  on original texts);
- **confidence**: the softmax of the scores times a temperature fitted on out-of-fold scores of the
  training set, so "0.7" means about 70 % of such guesses are right and low ones can be sent for review.

The API: ``train``, ``predict``, ``predict_with_confidence``, ``cross_validate`` (the model's own figures,
stored with it), ``dumps``/``loads`` (bytes for the database) and ``figures_dict`` (figures as JSON).

``dumps`` writes numpy arrays and a JSON header (``np.savez``), never a pickle, so loading a model runs
no code from it; still, only models this application trained and stored are meant to be loaded.

Pure: numpy, scipy, scikit-learn and jieba (training only), no Django, so bench/classify.py measures the
code the app runs.
"""

import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache

import numpy as np
import scipy.sparse as sp

from shangliang.core.text import simplified

# Characters at the start of a text that hold its subject (subjects: median 19 characters, 90 % ≤ 26).
HEAD_CHARS = 30
HEAD_WEIGHT = 0.5
# Weight of the dictionary-word view's scores against the character view's.
WORD_WEIGHT = 0.3
WORD_SIZES = (2, 3, 4)
CHAR_SIZES = (1, 2, 3)
ALL_SIZES = (1, 2, 3, 4)
# The SVMs' regularisation (scikit-learn's C) and the naive-Bayes smoothing.
SVM_C = 2.0
NB_ALPHA = 1.0
# Training sets smaller than this keep every n-gram; larger ones only those in at least 2 (words) or
# 3 (characters) texts: a rarer one is mostly a name or a typing slip and only adds noise.
SMALL_SET = 50
# The confidence's temperature is fitted on out-of-fold scores when every category has at least
# ``CALIBRATE_FROM`` records (on the 7,338 development messages it comes out at about 3); below that
# the default, a modest one: a model of a handful of texts has no grounds to be sure.
CALIBRATE_FROM = 10
DEFAULT_TEMPERATURE = 1.0
CALIBRATION_FOLDS = 3
FORMAT_VERSION = 1

CHINESE_WORD = re.compile(r"^[\u4e00-\u9fff]+$")


class TrainingDataError(ValueError):
    """The labelled records cannot train or cross-validate a model (fewer than two categories, too few
    records in a category for the folds asked). ``code`` names the case for a translated message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# --- the characters the features read ---------------------------------------------------------------

SEPARATOR = 0
SPACE = 0x20


def _characters(texts: Sequence[str]) -> np.ndarray:
    """The texts as one array of code points, each followed by a 0, as the features read them:
    Simplified (OpenCC), full-width forms half-width, control characters and runs of white space one
    space, and no space next to a non-ASCII character, so a pre-segmented export (``市 西湖 建筑``)
    reads like the original text (``A市西湖建筑``).

    ``text.normalise`` does the same and more (masking numbers) but in Python per text, which took
    two thirds of the time of a prediction; here only OpenCC runs per batch, the rest is numpy."""
    if not texts:
        return np.zeros(0, dtype=np.uint32)
    joined = simplified("\x00".join((t or "").replace("\x00", " ") for t in texts)) + "\x00"
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).copy()
    full_width = (chars >= 0xFF01) & (chars <= 0xFF5E)
    chars[full_width] -= 0xFEE0
    chars[((chars < SPACE) & (chars != SEPARATOR)) | (chars == 0x3000) | (chars == 0x7F)] = SPACE
    chars = chars[~((chars == SPACE) & (np.roll(chars, 1) == SPACE))]
    before, after = np.roll(chars, 1), np.roll(chars, -1)
    word_char = (before > SPACE) & (before < 0x7F) & (after > SPACE) & (after < 0x7F)
    return chars[(chars != SPACE) | word_char]


def _split(chars: np.ndarray) -> list[str]:
    return chars.tobytes().decode("utf-32-le").split("\x00")[:-1]


def _codes(prepared: Sequence[str]) -> np.ndarray:
    """Prepared texts back as ``_characters`` gives them."""
    return np.frombuffer(("\x00".join(prepared) + "\x00").encode("utf-32-le"), dtype=np.uint32)


def prepare(text: str) -> str:
    """One text as the features read it (see ``_characters``)."""
    return _split(_characters([text]))[0]


# --- n-gram keys and their columns -------------------------------------------------------------------

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def _mix(keys: np.ndarray) -> np.ndarray:
    # splitmix64's finaliser: every bit of the key depends on every character, so the top bits can
    # address the lookup table.
    keys = (keys ^ (keys >> np.uint64(30))) * _MIX_1
    keys = (keys ^ (keys >> np.uint64(27))) * _MIX_2
    return keys ^ (keys >> np.uint64(31))


class _Grams:
    """The n-grams of a batch of prepared texts, one size at a time: for each, its text (``doc``), its
    64-bit key (a hash: two different n-grams share one with a chance of about 10⁻¹²) and its start
    in its text."""

    def __init__(self, chars: np.ndarray):
        self.chars = chars.astype(np.uint64)
        self.gap = chars == SEPARATOR
        ends = np.flatnonzero(self.gap)
        self.count = len(ends)
        lengths = np.diff(ends, prepend=-1)
        self.doc = np.repeat(np.arange(self.count, dtype=np.int64), lengths)
        self.offset = np.arange(len(chars), dtype=np.int64) - np.repeat(ends + 1 - lengths, lengths)

    def of_size(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        count = len(self.chars) - size + 1
        if count <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        key = np.full(count, size, dtype=np.uint64)
        inside = np.ones(count, dtype=bool)
        for j in range(size):
            key = key * _MULTIPLIER + self.chars[j : j + count]
            inside &= ~self.gap[j : j + count]
        return self.doc[:count][inside], _mix(key[inside]), self.offset[:count][inside]


def _word_keys(words: Sequence[str]) -> np.ndarray:
    """The keys of whole words (the n-gram of a word's own length starting at its first character)."""
    grams = _Grams(_characters(words))
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    keys = []
    for size in WORD_SIZES:
        doc, key, offset = grams.of_size(size)
        keys.append(key[(offset == 0) & (lengths[doc] == size)])
    return np.concatenate(keys)


class _KeyTable:
    """Key → row of the model's column table: open addressing with linear probing, built and probed
    with whole-array numpy steps (``np.searchsorted`` over ~500,000 keys took most of the prediction
    time)."""

    def __init__(self, keys: np.ndarray):
        bits = max(8, int(np.ceil(np.log2(max(len(keys), 1) * 4))))
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        self.keys = np.zeros(1 << bits, dtype=np.uint64)
        self.rows = np.full(1 << bits, -1, dtype=np.int32)
        pending = np.arange(len(keys))
        slot = (keys >> self.shift).astype(np.int64)
        while len(pending):
            free = self.rows[slot] < 0
            taken_slots, first = np.unique(slot[free], return_index=True)
            winners = pending[free][first]
            self.keys[taken_slots] = keys[winners]
            self.rows[taken_slots] = winners
            placed = np.zeros(len(pending), dtype=bool)
            placed[np.flatnonzero(free)[first]] = True
            pending, slot = pending[~placed], (slot[~placed] + 1) & self.mask

    def rows_of(self, keys: np.ndarray) -> np.ndarray:
        """The row of each key, -1 for a key not in the table."""
        slot = (keys >> self.shift).astype(np.int64)
        row = self.rows[slot]
        found = np.where(self.keys[slot] == keys, row, -1)
        active = np.flatnonzero((row >= 0) & (found < 0))
        slot = slot[active]
        while len(active):
            slot = (slot + 1) & self.mask
            row = self.rows[slot]
            hit = self.keys[slot] == keys[active]
            found[active[hit]] = row[hit]
            go_on = (row >= 0) & ~hit
            active, slot = active[go_on], slot[go_on]
        return found


# --- features ---------------------------------------------------------------------------------------

# The three blocks of features: character n-grams of the text, of its head, and dictionary words.
BLOCKS = ("text", "head", "word")


def _in_block(block: int, size: int, offset: np.ndarray) -> np.ndarray:
    """Which n-grams of one size (given their starts) a block counts."""
    if block == 1:
        return (offset + size <= HEAD_CHARS) if size in CHAR_SIZES else np.zeros(len(offset), dtype=bool)
    return np.full(len(offset), size in (WORD_SIZES if block == 2 else CHAR_SIZES))


@dataclass(eq=False)
class _Vocabulary:
    """The n-gram keys a model knows, each with its column in each block (-1: not in that block)."""

    keys: np.ndarray
    columns: np.ndarray  # shape (len(keys), len(BLOCKS)), int32
    idf: list[np.ndarray]
    table: _KeyTable | None = field(default=None, repr=False)

    def counts(self, chars: np.ndarray) -> list[sp.csr_matrix]:
        """Per block, how often each of its n-grams occurs in each text."""
        if self.table is None:
            self.table = _KeyTable(self.keys)
        grams = _Grams(chars)
        nothing = np.zeros(0, dtype=np.int64)
        docs, columns = [[nothing] for _ in BLOCKS], [[nothing] for _ in BLOCKS]
        for size in ALL_SIZES:
            doc, key, offset = grams.of_size(size)
            rows = self.table.rows_of(key)
            known = rows >= 0
            doc, offset, block_columns = doc[known], offset[known], self.columns[rows[known]]
            for block in range(len(BLOCKS)):
                where = _in_block(block, size, offset) & (block_columns[:, block] >= 0)
                if where.any():
                    docs[block].append(doc[where])
                    columns[block].append(block_columns[where, block])
        matrices = []
        for block, idf in enumerate(self.idf):
            doc, column = np.concatenate(docs[block]), np.concatenate(columns[block])
            matrix = sp.csr_matrix((np.ones(len(doc), dtype=np.float32), (doc, column)), shape=(grams.count, len(idf)))
            matrix.sum_duplicates()
            matrices.append(matrix)
        return matrices

    def features(self, chars: np.ndarray) -> list[sp.csr_matrix]:
        """Per block, sublinear TF-IDF rows of unit length."""
        return [_tfidf(counts, idf) for counts, idf in zip(self.counts(chars), self.idf, strict=True)]


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    matrix = counts.copy()
    matrix.data = (1 + np.log(matrix.data)) * idf[matrix.indices]
    row = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(row, matrix.data.astype(np.float64) ** 2, minlength=matrix.shape[0]))
    norms[norms == 0] = 1
    matrix.data /= norms[row].astype(np.float32)
    return matrix


def _document_frequency(doc: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys and in how many texts each occurs."""
    order = np.lexsort((doc, key))
    key, doc = key[order], doc[order]
    new = np.ones(len(key), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (doc[1:] != doc[:-1])
    return np.unique(key[new], return_counts=True)


def _dictionary(tokens: Sequence[Sequence[str]], min_texts: int) -> list[str]:
    counted = Counter(w for words in tokens for w in set(words) if len(w) in WORD_SIZES and CHINESE_WORD.match(w))
    return sorted(w for w, n in counted.items() if n >= min_texts)


def _vocabulary(chars: np.ndarray, tokens: Sequence[Sequence[str]]) -> _Vocabulary:
    """The n-grams of the training texts worth a column, and their inverse document frequencies."""
    grams = _Grams(chars)
    small = grams.count < SMALL_SET
    dictionary = np.unique(_word_keys(_dictionary(tokens, 1 if small else 2)))
    min_texts = (1, 1, 1) if small else (3, 2, 2)
    blocks = []
    for block in range(len(BLOCKS)):
        docs, keys = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.uint64)]
        for size in ALL_SIZES:
            doc, key, offset = grams.of_size(size)
            where = _in_block(block, size, offset)
            if block == 2 and where.any():
                where = np.isin(key, dictionary)
            if where.any():
                docs.append(doc[where])
                keys.append(key[where])
        block_keys, df = _document_frequency(np.concatenate(docs), np.concatenate(keys))
        keep = df >= min_texts[block]
        idf = (np.log((1 + grams.count) / (1 + df[keep])) + 1).astype(np.float32)
        blocks.append((block_keys[keep], idf))
    keys = np.unique(np.concatenate([block_keys for block_keys, _ in blocks]))
    columns = np.full((len(keys), len(BLOCKS)), -1, dtype=np.int32)
    for block, (block_keys, _) in enumerate(blocks):
        columns[np.searchsorted(keys, block_keys), block] = np.arange(len(block_keys), dtype=np.int32)
    return _Vocabulary(keys, columns, [idf for _, idf in blocks])


def _tokenize(prepared: Sequence[str]) -> list[list[str]]:
    return [_jieba().lcut(text, HMM=False) for text in prepared]


@cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


# --- the model --------------------------------------------------------------------------------------


@dataclass(eq=False)
class Model:
    """A trained classifier: the vocabulary, one weight column per label and block (the naive-Bayes
    scaling and the view weights folded in), the intercepts and the confidence's temperature."""

    labels: tuple[str, ...]
    vocabulary: _Vocabulary
    weights: list[np.ndarray]  # per block, shape (block columns, labels), float32
    intercept: np.ndarray
    temperature: float
    training_size: int

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        blocks = self.vocabulary.features(_characters(texts))
        return _scores(blocks, self.weights, self.intercept)


def _scores(blocks: list[sp.csr_matrix], weights: list[np.ndarray], intercept: np.ndarray) -> np.ndarray:
    total = np.tile(intercept, (blocks[0].shape[0], 1))
    for matrix, weight in zip(blocks, weights, strict=True):
        total += matrix @ weight
    return total


def _nbsvm(matrix: sp.csr_matrix, target: np.ndarray, n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """One-against-the-rest linear SVMs on naive-Bayes-scaled features: weights (columns × labels) with
    the scaling folded in, and intercepts."""
    from sklearn.svm import LinearSVC

    weights = np.zeros((matrix.shape[1], n_labels), dtype=np.float32)
    intercept = np.zeros(n_labels)
    if not matrix.shape[1]:  # e.g. no dictionary word in a tiny training set: the view has no say
        return weights, intercept
    present = matrix.copy()
    present.data[:] = 1
    for label in range(n_labels):
        mine = target == label
        p = NB_ALPHA + np.asarray(present[mine].sum(axis=0)).ravel()
        q = NB_ALPHA + np.asarray(present[~mine].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        svm = LinearSVC(C=SVM_C).fit(matrix @ sp.diags(ratio), mine)
        weights[:, label] = svm.coef_.ravel() * ratio
        intercept[label] = svm.intercept_[0]
    return weights, intercept


def _fit_weights(blocks: list[sp.csr_matrix], target: np.ndarray, n_labels: int):
    """The character view (text and head blocks side by side) and the word view, each an NBSVM."""
    text, head, word = blocks
    char_weights, char_intercept = _nbsvm(sp.hstack([text, HEAD_WEIGHT * head], format="csr"), target, n_labels)
    word_weights, word_intercept = _nbsvm(word, target, n_labels)
    split = text.shape[1]
    weights = [char_weights[:split], HEAD_WEIGHT * char_weights[split:], WORD_WEIGHT * word_weights]
    return weights, char_intercept + WORD_WEIGHT * word_intercept


def _rows(blocks: list[sp.csr_matrix], rows: np.ndarray) -> list[sp.csr_matrix]:
    return [matrix[rows] for matrix in blocks]


def _temperature(blocks: list[sp.csr_matrix], target: np.ndarray, n_labels: int, seed: int) -> float:
    """The temperature that makes the softmax of out-of-fold scores the best probability (log-loss),
    or the default when a label has too few records for the folds."""
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax
    from sklearn.model_selection import StratifiedKFold

    if np.bincount(target, minlength=n_labels).min() < CALIBRATE_FROM:
        return DEFAULT_TEMPERATURE
    scores = np.zeros((len(target), n_labels))
    folds = StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=seed)
    for fit_rows, score_rows in folds.split(np.zeros(len(target)), target):
        weights, intercept = _fit_weights(_rows(blocks, fit_rows), target[fit_rows], n_labels)
        scores[score_rows] = _scores(_rows(blocks, score_rows), weights, intercept)
    picked = np.arange(len(target)), target
    found = minimize_scalar(
        lambda t: -log_softmax(t * scores, axis=1)[picked].mean(), bounds=(0.05, 50), method="bounded"
    )
    return float(found.x)


def _check_labels(texts: Sequence[str], labels: Sequence[str]) -> tuple[str, ...]:
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    names = tuple(sorted(set(labels)))
    if len(names) < 2:
        raise TrainingDataError("too_few_labels", f"at least 2 categories are needed, got {len(names)}")
    return names


def _train(prepared: Sequence[str], tokens: Sequence[Sequence[str]], labels: Sequence[str], *, calibrate: bool):
    names = _check_labels(prepared, labels)
    target = np.searchsorted(np.array(names), np.array(labels))
    chars = _codes(prepared)
    vocabulary = _vocabulary(chars, tokens)
    blocks = vocabulary.features(chars)
    weights, intercept = _fit_weights(blocks, target, len(names))
    temperature = _temperature(blocks, target, len(names), seed=0) if calibrate else DEFAULT_TEMPERATURE
    return Model(names, vocabulary, weights, intercept, temperature, len(prepared))


def train(texts: Sequence[str], labels: Sequence[str]) -> Model:
    """A model of the given labelled texts (any number of categories from two up, any record count).

    Raises ``TrainingDataError`` with fewer than two categories. Takes about 20 s for 7,000 records
    on one core, about half of it fitting the confidence's temperature."""
    prepared = _split(_characters(texts))
    return _train(prepared, _tokenize(prepared), labels, calibrate=True)


def predict(model: Model, texts: Sequence[str]) -> list[str]:
    return [model.labels[i] for i in model.scores(texts).argmax(axis=1)]


def predict_with_confidence(model: Model, texts: Sequence[str]) -> list[tuple[str, float]]:
    """Each text's label and the probability that it is right (0..1; see the module's description)."""
    from scipy.special import softmax

    if not len(texts):
        return []
    probabilities = softmax(model.temperature * model.scores(texts), axis=1)
    best = probabilities.argmax(axis=1)
    return [(model.labels[i], float(p[i])) for i, p in zip(best, probabilities, strict=True)]


# --- the model's own figures ------------------------------------------------------------------------


@dataclass
class Figures:
    """Cross-validated figures: macro-F1 (the mean of the per-label F1, so a small category counts as
    much as a big one), accuracy, F1 per label, the number of records and of folds."""

    macro_f1: float
    accuracy: float
    per_label_f1: dict[str, float]
    n: int
    folds: int
    seed: int


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    folds: int = 5,
    seed: int = 0,
    training_texts: Sequence[str] | None = None,
) -> Figures:
    """Stratified k-fold figures of ``train``'s method on these records: each record is predicted by a
    model trained without it.

    ``folds`` drops to the smallest category's size when that is smaller. ``training_texts``, when
    given, is the wording each record trains with (e.g. a pre-segmented export beside the original);
    ``texts`` is still what is predicted. Raises ``TrainingDataError`` with fewer than two categories
    or a category of a single record."""
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    names = _check_labels(texts, labels)
    folds = min(folds, min(Counter(labels).values()))
    if folds < 2:
        raise TrainingDataError("too_few_records", "every category needs at least 2 records to cross-validate")
    prepared = _split(_characters(texts))
    training = prepared if training_texts is None else _split(_characters(training_texts))
    if len(training) != len(prepared):
        raise ValueError(f"{len(texts)} texts but {len(training)} training texts")
    tokens = _tokenize(training)
    truth = np.array(labels)
    predicted = np.empty(len(labels), dtype=object)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for fit_rows, test_rows in splitter.split(np.zeros(len(truth)), truth):
        model = _train(
            [training[i] for i in fit_rows], [tokens[i] for i in fit_rows], list(truth[fit_rows]), calibrate=False
        )
        blocks = model.vocabulary.features(_codes([prepared[i] for i in test_rows]))
        best = _scores(blocks, model.weights, model.intercept).argmax(axis=1)
        predicted[test_rows] = [model.labels[i] for i in best]
    predicted = predicted.astype(str)
    per_label = f1_score(truth, predicted, labels=list(names), average=None, zero_division=0)
    return Figures(
        macro_f1=float(per_label.mean()),
        accuracy=float(accuracy_score(truth, predicted)),
        per_label_f1={name: float(f) for name, f in zip(names, per_label, strict=True)},
        n=len(labels),
        folds=folds,
        seed=seed,
    )


def figures_dict(figures: Figures) -> dict:
    """The figures as JSON-able values, rounded to 4 places."""
    data = asdict(figures)
    data["macro_f1"], data["accuracy"] = round(figures.macro_f1, 4), round(figures.accuracy, 4)
    data["per_label_f1"] = {k: round(v, 4) for k, v in figures.per_label_f1.items()}
    return data


# --- storing ----------------------------------------------------------------------------------------


def dumps(model: Model) -> bytes:
    """The model as bytes (numpy's .npz: arrays and a JSON header, no pickle)."""
    header = {
        "format": FORMAT_VERSION,
        "labels": list(model.labels),
        "temperature": model.temperature,
        "training_size": model.training_size,
    }
    arrays = {
        "header": np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), dtype=np.uint8),
        "keys": model.vocabulary.keys,
        "columns": model.vocabulary.columns,
        "intercept": model.intercept,
    }
    for block, name in enumerate(BLOCKS):
        arrays[f"idf_{name}"] = model.vocabulary.idf[block]
        arrays[f"weights_{name}"] = model.weights[block]
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def loads(data: bytes) -> Model:
    """A model from ``dumps``; raises ``ValueError`` for bytes that are not one of this version."""
    try:
        arrays = np.load(io.BytesIO(data), allow_pickle=False)
        header = json.loads(arrays["header"].tobytes().decode())
    except (OSError, KeyError, ValueError) as error:
        raise ValueError("not a stored classifier") from error
    if header.get("format") != FORMAT_VERSION:
        raise ValueError(f"classifier format {header.get('format')} is not {FORMAT_VERSION}")
    vocabulary = _Vocabulary(arrays["keys"], arrays["columns"], [arrays[f"idf_{name}"] for name in BLOCKS])
    return Model(
        labels=tuple(header["labels"]),
        vocabulary=vocabulary,
        weights=[arrays[f"weights_{name}"] for name in BLOCKS],
        intercept=arrays["intercept"],
        temperature=float(header["temperature"]),
        training_size=int(header["training_size"]),
    )
