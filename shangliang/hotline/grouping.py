"""Hot issues (热点诉求/共性问题): hotline records about the same concrete problem in the same place.

Records of one category are not one issue: 魅力之城小区楼下餐馆油烟 and 魅力之城小区楼板开裂 share a place,
丽发新城小区旁搅拌站噪音 and 某某小区旁搅拌站噪音 share a problem; neither pair is an issue. So two records
are compared on two things, each measured on its own:

- **place**: the place names read from the title and the start of the text (estates, roads, schools,
  villages, companies: a name before a suffix such as 小区/路/学院/村, see ``place_names``), as
  character bigrams weighted by how rare they are among place names (丽发 counts, 小区 hardly);
- **problem**: the title (twice) and the first ``CONTENT_CHARS`` characters of the text *with the place
  names cut out*, as TF-IDF character bigrams, so two complaints about the same estate are not alike
  merely because they name it.

The similarity of two records is ``sqrt(problem cosine × q)``. ``q`` is the place cosine when both
records name a place and it reaches ``PLACE_AT``; ``UNKNOWN_PLACE`` when one of them names none (a
vaguer record needs a closer problem: 0.22² / 0.2 = a problem cosine of 0.24, against 0.08 for two
records naming the same estate), or ``SAME_KEY`` then if the caller's place keys (the matched village)
agree. Two records whose place names share less than ``DIFFERENT_BELOW``, or whose
place keys differ, are in different places: they never link, and average linkage counts them as
``CONFLICT`` so a third record naming no place cannot bring them together.

Grouping from scratch (``group``) never builds an n × n matrix: candidate pairs share a rare place
bigram (or, for a record without a place, rare text bigrams); pairs at or above ``LINK_AT`` are
linked; each connected set is then cut by average linkage at ``COHESION_AT``, so a chain of pairwise
links (A~B, B~C) does not glue unrelated records into one issue.

New records join incrementally (``assign_new``): each is compared with the groups' signatures (the
mean problem and place vectors, cut to their ``SIGNATURE_TERMS``/``SIGNATURE_PLACES`` heaviest
bigrams) and joins the most similar at or above ``JOIN_AT``; the rest are grouped among themselves as
new groups. The ``State`` carries what this needs and nothing else: the bigram document frequencies
(those seen at least twice) and one signature per group, under 1 kB of JSON each; ``to_json`` gives
a JSON-able dict whose ``groups`` entries fit a ``HotIssue.signature`` each. Staff edits keep it in
step: ``merge_state``, ``remove_from_state``, ``add_to_state`` and ``rename_groups``; ``build_state``
makes one for groups decided elsewhere; ``drop_groups`` keeps it small. Joining is greedy, so a
periodic regrouping from scratch (``group``, well under a minute for 100,000 records) catches what it
cannot (a new record that would link two old groups).

``heat`` ranks groups and says why (its parts); ``title`` names a group by its most central record;
``rank`` does both for every group at once.

Pure: numpy and scipy, no Django, so bench/hot_issues.py measures the same code the app runs.
"""

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components

# --- what is compared --------------------------------------------------------------------------------

# Characters of the text after the title that describe the problem (the rest is detail and history).
CONTENT_CHARS = 200
# Characters of the text searched for place names besides the title.
PLACE_CHARS = 150

# --- thresholds (tuned on the 4,326 messages of govmsg/hot_messages.csv, see docs/benchmarks.md) ------

# Two records are linked at or above this similarity.
LINK_AT = 0.22
# A linked set is cut where the average similarity between its parts falls below this.
COHESION_AT = 0.14
# Place cosine below which two records that both name a place are in different places.
PLACE_AT = 0.25
# ``q`` when one record of a pair names no place, and when neither does but the caller's keys agree.
UNKNOWN_PLACE = 0.2
SAME_KEY = 0.3
# Place cosine below which two records are in clearly different places, and the similarity average
# linkage then counts for them (a penalty, not 0: a record naming no place that is close to both must
# not bring them together). Between this and PLACE_AT a pair neither links nor repels.
DIFFERENT_BELOW = 0.15
CONFLICT = -1.0
# A new record joins the most similar group at or above this similarity to its signature.
JOIN_AT = LINK_AT

# Records counted at once: more are counted in blocks of this many (memory, not speed).
COUNT_BLOCK = 50_000
# Bigrams kept per group signature (problem, place): enough to compare a record against, small to store.
SIGNATURE_TERMS = 32
SIGNATURE_PLACES = 12

# A bigram shared by more records than this does not make them candidates (小区, 问题): it would pair
# thousands of records that other, rarer bigrams already pair when they belong together.
CANDIDATE_MAX_DF = 2000
CANDIDATE_MAX_SHARE = 0.05
CANDIDATE_MIN_DF = 50
# Linked sets up to this size are cut in batches (see _small_sets), larger ones one by one.
SMALL_SET = 64
# A linked set larger than this is split by raising the link threshold before average linkage (which
# needs the set's full similarity matrix), up to STRONG_LINK, where what is still linked stays whole.
DENSE_MAX = 2500
STRONG_LINK = 0.6

# Hashed bigram space: 4M buckets keep collisions rare at a million records.
BUCKET_BITS = 22
BUCKETS = 1 << BUCKET_BITS

# --- place names -------------------------------------------------------------------------------------

# What ends a place name: estates, buildings, schools, hospitals, companies, villages, roads. Longest
# first, so 幼儿园 wins over 园. 站 alone is left out: 搅拌站 and 垃圾站 are problems, not places.
_SUFFIX_WORDS = (
    "小区 社区 花园 家园 新城 新村 公寓 山庄 大厦 广场 中心 国际 商城 市场 大楼 宿舍 安置区 学院 大学 中学 小学 "
    "幼儿园 学校 医院 卫生院 公园 车站 地铁站 高铁站 有限公司 公司 集团 酒店 超市 工业园 产业园 村 组 镇 乡 街道 "
    "路 街 大道 巷 桥 湖 港 湾 苑 园 城 府 庭 郡 居 阁 墅 院 里"
)
PLACE_SUFFIXES = tuple(sorted(_SUFFIX_WORDS.split(), key=len, reverse=True))
PLACE_SUFFIX = re.compile("|".join(PLACE_SUFFIXES))
# A one-character suffix followed by one of these is part of a common word, not a name (居民, 城市, 路灯).
NOT_BEFORE = {
    "居": "民住委家室",
    "城": "市管区乡镇建际",
    "院": "子长校",
    "里": "面边头的",
    "园": "林艺区丁长",
    "路": "灯面况费线子径由过上段",
    "组": "织成长建合",
    "湖": "南北",
    "港": "澳",
    "街": "道坊",
    "府": "的",
    "村": "民委",
    "镇": "政",
    "乡": "镇村",
    "桥": "梁",
    "湾": "区",
    "苑": "区",
}
# A name starts after the last of these in the few characters before its suffix: function words,
# verbs of motion (去学校, 回小区) and the administrative levels above a place (A市, 岳麓区).
NAME_BREAK = frozenset(
    "的在和与及对向给把被从到是有了我你他她们请问于为将这那该本此其个就都也还又很更最或而并且但说要想让使由以因所等已"
    "再至近旁边附近内外上下前后中省市县区住选去来回进"
)
# Anonymised or abbreviated administrative names (A市, A5区) are cut out before reading names.
ADMIN_CODE = re.compile(r"[A-Z]\d*[市区县]")
NAME_BREAKS = re.compile(f"[{''.join(sorted(NAME_BREAK))}]|[^\u4e00-\u9fffA-Za-z0-9]")
# Whole "names" that are only a suffix with a generic word.
_NOT_NAME_WORDS = (
    "道路 马路 公路 线路 铁路 思路 出路 一路 走路 修路 城市 城区 县城 农村 乡村 学校 小区 社区 医院 公司 市场 广场 "
    "中心 街道 限公司 有限公司 物业公司 装修公司 开发公司"
)
NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
NAME_LEFT = 6
# Common words that end in a suffix and are not names (家里, 心里, 家庭).
NOT_NAME_ENDINGS = ("家里", "心里", "城里", "这里", "那里", "哪里", "家庭", "里面")


def place_names(text: str) -> list[str]:
    """The place names in ``text`` in order, e.g. 劳动东路, 魅力之城小区 in A5区劳动东路魅力之城小区油烟扰民.

    A name is up to six characters before a place suffix, cut at the last function word or
    administrative level before it; a suffix right after a name extends it (魅力之城 + 小区). Heuristic:
    it misses names without a suffix (保利大都汇) and sometimes keeps a word too many (家住华润置地广场);
    the grouping compares names by bigrams, which tolerates both."""
    text = ADMIN_CODE.sub("、", text or "")
    names: list[list] = []  # [name, end]
    taken = 0
    for match in PLACE_SUFFIX.finditer(text):
        start, end = match.span()
        if start < taken:
            continue
        suffix = match.group()
        if end < len(text) and text[end] in NOT_BEFORE.get(suffix, ""):
            continue
        left = NAME_BREAKS.split(text[max(taken, start - NAME_LEFT) : start])[-1]
        if not left and names and names[-1][1] == start:
            names[-1] = [names[-1][0] + suffix, end]
            taken = end
            continue
        name = left + suffix
        if len(left) < (2 if len(suffix) == 1 else 1) or name in NOT_NAMES or name.endswith(NOT_NAME_ENDINGS):
            continue
        names.append([name, end])
        taken = end
    return [name for name, _ in names]


# --- records -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """What grouping reads of a hotline record. ``text`` and ``title`` are normalised
    (``core.text.normalise``); ``place`` is the caller's place key (a matched village's id, or empty:
    records with different non-empty keys never group); ``person`` identifies the reporter (empty: the
    record counts as its own person)."""

    id: Hashable
    text: str
    time: datetime
    title: str = ""
    place: str = ""
    person: str = ""
    likes: int = 0
    dislikes: int = 0


def _texts(record: Record) -> tuple[str, str]:
    """The record's problem text (place names cut out) and its place names, space separated (a name
    in the title and again in the text counts twice: it is the record's main place)."""
    names = place_names(f"{record.title}\n{record.text[:PLACE_CHARS]}")
    problem = (record.title + "。") * 2 + record.text[:CONTENT_CHARS]
    for name in sorted(set(names), key=len, reverse=True):
        problem = problem.replace(name, "、")
    return problem, " ".join(names)


# --- hashed character bigrams --------------------------------------------------------------------------

_HASH = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - BUCKET_BITS)
_CODE_BITS = np.uint64(21)
_CODE_MASK = (1 << 21) - 1


def _bigrams(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every bigram of word characters (CJK, digits, lower-cased Latin) as a code ``(a << 21) | b``,
    with the index of its text. Vectorised over the whole batch: a Python loop per bigram would take
    minutes on a million records."""
    chars = np.frombuffer(("\0".join(texts) + "\0").encode("utf-32-le"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    chars = np.where((chars >= 65) & (chars <= 90), chars + 32, chars)
    word = ((chars >= 0x4E00) & (chars <= 0x9FFF)) | ((chars >= 48) & (chars <= 57)) | ((chars >= 97) & (chars <= 122))
    at = np.flatnonzero(word[:-1] & word[1:])
    codes = (chars[at].astype(np.uint64) << _CODE_BITS) | chars[at + 1].astype(np.uint64)
    rows = np.repeat(np.arange(len(texts), dtype=np.int32), lengths + 1)
    return codes, rows[at]


def _bucket(codes: np.ndarray) -> np.ndarray:
    return ((codes.astype(np.uint64) * _HASH) >> _SHIFT).astype(np.int64)


def _decode(code: int) -> str:
    return chr(code >> 21) + chr(code & _CODE_MASK)


def _encode(term: str) -> int:
    return (ord(term[0]) << 21) | ord(term[1])


@dataclass
class _Space:
    """The columns of a set of matrices: hashed buckets (sorted) and a bigram code naming each."""

    buckets: np.ndarray
    codes: np.ndarray

    @classmethod
    def of(cls, codes: np.ndarray) -> tuple["_Space", np.ndarray]:
        """The space of these bigram codes, and each code's column."""
        columns, first, inverse = np.unique(_bucket(codes), return_index=True, return_inverse=True)
        return cls(columns, codes[first].astype(np.uint64)), inverse.ravel()

    def __len__(self) -> int:
        return len(self.buckets)

    def index(self, buckets: np.ndarray) -> np.ndarray:
        """Column of each bucket, -1 where the space has none."""
        if not len(self.buckets):
            return np.full(len(buckets), -1, np.int64)
        at = np.minimum(np.searchsorted(self.buckets, buckets), len(self.buckets) - 1)
        return np.where(self.buckets[at] == buckets, at, -1)

    def move(self, m: sp.csr_matrix, to: "_Space") -> sp.csr_matrix:
        """``m`` (columns of this space) in the columns of ``to``; entries ``to`` lacks are dropped."""
        m = m.tocsr()
        columns = to.index(self.buckets[m.indices])
        rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        kept = columns >= 0
        out = sp.csr_matrix((m.data[kept], (rows[kept], columns[kept])), shape=(m.shape[0], len(to)))
        out.sum_duplicates()
        return out


@dataclass
class _Counts:
    """Sublinear term frequencies (1 + ln tf) of a batch of texts, in the batch's own column space."""

    tf: sp.csr_matrix
    space: _Space

    @classmethod
    def of(cls, texts: Sequence[str]) -> "_Counts":
        codes, rows = _bigrams(texts)
        space, columns = _Space.of(codes)
        tf = sp.csr_matrix(
            (np.ones(len(codes), np.float32), (rows, columns)), shape=(len(texts), len(space)), dtype=np.float32
        )
        tf.sum_duplicates()
        tf.data = 1 + np.log(tf.data)
        return cls(tf, space)

    @classmethod
    def of_blocks(cls, blocks: Iterable[Sequence[str]]) -> "_Counts":
        """The counts of many texts, given in blocks: each block is counted over all buckets and only
        the blocks are kept, so a million records never hold all their bigrams (and texts) at once."""
        named = np.zeros(BUCKETS, np.uint64)
        parts = []
        for texts in blocks:
            codes, rows = _bigrams(texts)
            buckets = _bucket(codes)
            named[buckets] = codes
            part = sp.csr_matrix(
                (np.ones(len(codes), np.float32), (rows, buckets)), shape=(len(texts), BUCKETS), dtype=np.float32
            )
            part.sum_duplicates()
            parts.append((part.data, part.indices.astype(np.int32), np.diff(part.indptr)))
        # Joined into preallocated arrays, each block let go once copied: half the peak of vstack.
        data = np.empty(sum(len(d) for d, _, _ in parts), np.float32)
        indices = np.empty(len(data), np.int32)
        lengths = np.concatenate([n for _, _, n in parts])
        at = 0
        while parts:
            d, i, _ = parts.pop(0)
            data[at : at + len(d)], indices[at : at + len(d)] = d, i
            at += len(d)
        column = np.full(BUCKETS, -1, np.int32)
        column[indices] = 0
        columns = np.flatnonzero(column == 0)
        column[columns] = np.arange(len(columns), dtype=np.int32)
        indices[:] = column[indices]
        np.log(data, out=data)
        data += 1
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        tf = sp.csr_matrix((data, indices, indptr), shape=(len(lengths), len(columns)), copy=False)
        return cls(tf, _Space(columns, named[columns]))

    def df(self) -> np.ndarray:
        """Document frequency of each column."""
        return np.bincount(self.tf.indices, minlength=len(self.space))

    def add_df(self, known: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """The document frequency of each column counting the ``known`` ones (codes, counts) too, and
        the known ones updated with this batch, kept from 2 up (a bigram seen once tells nothing)."""
        local = self.df()
        codes, counts = known
        column = self.space.index(_bucket(codes))
        hit = column >= 0
        df = local.copy()
        df[column[hit]] += counts[hit]
        updated = counts.copy()
        updated[hit] += local[column[hit]]
        fresh = np.ones(len(self.space), bool)
        fresh[column[hit]] = False
        all_codes = np.concatenate([codes, self.space.codes[fresh]])
        all_counts = np.concatenate([updated, local[fresh]])
        return df, (all_codes[all_counts >= 2], all_counts[all_counts >= 2])


def _weigh(counts: _Counts, df: np.ndarray, n: int) -> sp.csr_matrix:
    """TF-IDF rows scaled to unit length (an empty row stays empty); ``df`` by column. Weighs the
    counts' own matrix in place (a million records' counts are gigabytes) and returns it."""
    idf = (np.log((n + 1) / (df + 1)) + 1).astype(np.float32)
    m = counts.tf
    m.data *= idf[m.indices]
    return _unit_rows(m, copy=False)


def _unit_rows(m: sp.csr_matrix, copy: bool = True) -> sp.csr_matrix:
    m = m.tocsr(copy=copy)
    per_row = np.diff(m.indptr)
    norms = np.ones(m.shape[0], np.float32)
    nonempty = per_row > 0
    if m.nnz:
        lengths = np.sqrt(np.add.reduceat(np.square(m.data, dtype=np.float32), m.indptr[:-1][nonempty]))
        norms[nonempty] = np.where(lengths > 0, lengths, 1)
    m.data = m.data.astype(np.float32, copy=False)
    m.data /= np.repeat(norms, per_row)
    return m


def _row_dots(a: sp.csr_matrix, b: sp.csr_matrix, i: np.ndarray, j: np.ndarray, chunk: int = 100_000) -> np.ndarray:
    """``a[i[k]] · b[j[k]]`` for every k, in chunks (gathered rows, element-wise product, row sums)."""
    out = np.zeros(len(i), np.float32)
    for start in range(0, len(i), chunk):
        stop = start + chunk
        product = a[i[start:stop]].multiply(b[j[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return out


def _rare_columns(m: sp.csr_matrix, among: sp.csr_matrix) -> sp.csr_matrix:
    """``m`` with only the bigrams that few rows of ``among`` have (see CANDIDATE_MAX_DF): multiplying
    two such matrices finds the pairs worth comparing without pairing everyone who wrote 小区."""
    df = np.bincount(among.indices, minlength=among.shape[1])
    limit = max(CANDIDATE_MIN_DF, min(CANDIDATE_MAX_DF, int(among.shape[0] * CANDIDATE_MAX_SHARE)))
    m = m.tocsr(copy=True)
    m.data[df[m.indices] > limit] = 0
    m.eliminate_zeros()
    return m


def _sparse_product_pairs(
    a: sp.csr_matrix, b: sp.csr_matrix, at_least: float, upper: bool, chunk: int = 20_000
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (row of a, row of b) whose partial dot product ``a @ b.T`` is at least ``at_least`` (and
    with row < column when ``upper``), computed a block of rows at a time to bound memory."""
    rows, cols = [], []
    bt = b.T.tocsr()
    for start in range(0, a.shape[0], chunk):
        block = (a[start : start + chunk] @ bt).tocoo()
        keep = block.data >= at_least
        r, c = block.row[keep].astype(np.int64) + start, block.col[keep].astype(np.int64)
        if upper:
            r, c = r[r < c], c[r < c]
        rows.append(r)
        cols.append(c)
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows), np.concatenate(cols)


# --- features ------------------------------------------------------------------------------------------


@dataclass
class _Features:
    """Unit TF-IDF problem vectors ``x`` and place vectors ``p`` (empty row: no place found) of a batch,
    their column spaces, and the caller's place keys as ints (-1: none)."""

    x: sp.csr_matrix
    p: sp.csr_matrix
    x_space: _Space
    p_space: _Space
    keys: np.ndarray

    @property
    def n(self) -> int:
        return self.x.shape[0]

    @property
    def has_place(self) -> np.ndarray:
        return np.diff(self.p.indptr) > 0

    def subset(self, rows: np.ndarray) -> "_Features":
        return _Features(self.x[rows], self.p[rows], self.x_space, self.p_space, self.keys[rows])


def _key_codes(records: Sequence[Record], known: dict[str, int]) -> np.ndarray:
    return np.array([known.setdefault(r.place, len(known)) if r.place else -1 for r in records], np.int64)


def _counts(records: Sequence[Record]) -> tuple[_Counts, _Counts]:
    """Problem and place counts of the records (in blocks when they are many)."""
    if len(records) <= COUNT_BLOCK:
        texts = [_texts(r) for r in records]
        return _Counts.of([t[0] for t in texts]), _Counts.of([t[1] for t in texts])
    places: list[list[str]] = []

    def problems():
        for start in range(0, len(records), COUNT_BLOCK):
            texts = [_texts(r) for r in records[start : start + COUNT_BLOCK]]
            places.append([t[1] for t in texts])
            yield [t[0] for t in texts]

    problem = _Counts.of_blocks(problems())
    return problem, _Counts.of_blocks(places)


def _features(problem: _Counts, places: _Counts, problem_df, place_df, n: int, keys: np.ndarray) -> _Features:
    return _Features(_weigh(problem, problem_df, n), _weigh(places, place_df, n), problem.space, places.space, keys)


def _place_factor(has_a, has_b, key_a, key_b, place_cos) -> np.ndarray:
    """``q`` of the module's description, element-wise; -1 where the places clearly differ (different
    keys, or place names sharing less than DIFFERENT_BELOW)."""
    both = has_a & has_b
    keyed = (key_a >= 0) & (key_b >= 0)
    named = np.where(place_cos >= PLACE_AT, place_cos, np.where(place_cos < DIFFERENT_BELOW, -1, 0))
    q = np.where(both, named, np.where(keyed, SAME_KEY, UNKNOWN_PLACE))
    return np.where(keyed & (key_a != key_b), -1, q).astype(np.float32)


def _similarity(problem_cos, q) -> np.ndarray:
    return np.sqrt(np.clip(problem_cos, 0, 1) * np.clip(q, 0, None))


# A pair is compared in full when its rare bigrams alone give at least this share of the cosine it
# needs: the common bigrams they leave out weigh little (low IDF), and comparing every pair that shares
# any rare bigram costs more than all the rest of grouping.
PREFILTER_SHARE = 0.5
# A record naming no place is compared with the records sharing one of its QUERY_TERMS heaviest rare
# problem bigrams with at least this much weight: its own heaviest bigrams are what a record about the
# same problem repeats, and taking them all would pair it with thousands.
QUERY_TERMS = 20
UNPLACED_PREFILTER = LINK_AT**2 / max(UNKNOWN_PLACE, SAME_KEY) * PREFILTER_SHARE


def _candidate_pairs(f: _Features) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) that may reach LINK_AT: when both name a place, those whose rare place bigrams
    already come near PLACE_AT; when one names none, those whose rare problem bigrams come near the
    problem cosine an unplaced pair needs."""
    placed = np.flatnonzero(f.has_place)
    rare_p = _rare_columns(f.p[placed], f.p[placed])
    i, j = _sparse_product_pairs(rare_p, rare_p, PLACE_AT * PREFILTER_SHARE, upper=True)
    i, j = placed[i], placed[j]
    unplaced = np.flatnonzero(~f.has_place)
    if len(unplaced):
        rare_x = _rare_columns(f.x, f.x)
        a, b = _sparse_product_pairs(_heaviest(rare_x[unplaced], QUERY_TERMS), rare_x, UNPLACED_PREFILTER, upper=False)
        a = unplaced[a]
        # Both unplaced: each pair was found from both ends; keep it once.
        keep = (a != b) & (f.has_place[b] | (a < b))
        a, b = a[keep], b[keep]
        i, j = np.concatenate([i, np.minimum(a, b)]), np.concatenate([j, np.maximum(a, b)])
    return i, j


def _pair_similarity(f: _Features, i: np.ndarray, j: np.ndarray, conflict: float = 0.0) -> np.ndarray:
    """Similarity of each pair (i, j); ``conflict`` for two records in different places."""
    has = f.has_place
    place_cos = _row_dots(f.p, f.p, i, j)
    q = _place_factor(has[i], has[j], f.keys[i], f.keys[j], place_cos)
    # The problem cosine is only needed where the place allows a link.
    s = np.where(q < 0, conflict, 0).astype(np.float32)
    live = np.flatnonzero(q > 0)
    s[live] = _similarity(_row_dots(f.x, f.x, i[live], j[live]), q[live])
    return s


def _dense_similarity(f: _Features, rows: np.ndarray) -> np.ndarray:
    """All pairwise similarities of ``rows``, with CONFLICT for two records known to be in different
    places: average linkage then keeps them apart even when a record naming no place is close to both."""
    x, p = f.x[rows], f.p[rows]
    problem_cos = (x @ x.T).toarray()
    place_cos = (p @ p.T).toarray()
    has, keys = f.has_place[rows], f.keys[rows]
    q = _place_factor(has[:, None], has[None, :], keys[:, None], keys[None, :], place_cos)
    return np.where(q > 0, _similarity(problem_cos, q), np.where(q < 0, CONFLICT, 0))


def _cohesive_parts(f: _Features, rows: np.ndarray) -> np.ndarray:
    """Average-linkage clusters (cut at COHESION_AT) of one linked set: a label (0..) per row."""
    s = _dense_similarity(f, rows)
    distance = np.clip(1 - s[np.triu_indices(len(rows), k=1)], 0, None)
    return fcluster(linkage(distance, method="average"), t=1 - COHESION_AT, criterion="distance") - 1


def _cluster(f: _Features) -> np.ndarray:
    """A group label per record (0..k-1, numbered by first record)."""
    if f.n == 0:
        return np.zeros(0, np.int64)
    i, j = _candidate_pairs(f)
    s = _pair_similarity(f, i, j)
    labels = _split_linked(f, i, j, s, LINK_AT, np.arange(f.n))
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse]


def _split_linked(f: _Features, i, j, s, at: float, rows: np.ndarray) -> np.ndarray:
    """Labels for ``rows`` (the pairs i, j index into ``rows``): the sets linked at ``at``, each cut by
    average linkage; a set too large for a dense matrix is linked again at a higher threshold first."""
    keep = s >= at
    i, j, s = i[keep], j[keep], s[keep]
    n = len(rows)
    graph = sp.coo_matrix((np.ones(len(i), np.int8), (i, j)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    sizes = np.bincount(component)
    # Single records and linked pairs need no linkage: a linked pair is above COHESION_AT already.
    labels = component.astype(np.int64)
    next_label = int(component.max()) + 1
    order = np.argsort(component, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    for members, parts in _small_sets(f, rows, order, bounds, sizes):
        labels[members] = next_label + parts
        next_label += int(parts.max()) + 1
    for c in np.flatnonzero(sizes > SMALL_SET):
        members = order[bounds[c] : bounds[c + 1]]
        if len(members) > DENSE_MAX and at >= STRONG_LINK:
            parts = np.zeros(len(members), np.int64)  # thousands of records linked this strongly: one issue
        elif len(members) > DENSE_MAX:
            local = np.full(n, -1, np.int64)
            local[members] = np.arange(len(members))
            inside = (local[i] >= 0) & (local[j] >= 0)
            parts = _split_linked(f, local[i[inside]], local[j[inside]], s[inside], at + 0.02, rows[members])
        else:
            parts = _cohesive_parts(f, rows[members])
        labels[members] = next_label + parts
        next_label += int(parts.max()) + 1
    return labels


def _small_sets(f: _Features, rows, order, bounds, sizes):
    """(members, labels) for each linked set of 3 to SMALL_SET records that average linkage cuts. All
    their pairs are scored in one vectorised pass per set size; a set whose every pair reaches
    COHESION_AT stays whole without running linkage (any average of them reaches it too)."""
    for size in np.unique(sizes[(sizes > 2) & (sizes <= SMALL_SET)]):
        sets = np.flatnonzero(sizes == size)
        members = order[bounds[sets][:, None] + np.arange(size)]
        a, b = np.triu_indices(size, k=1)
        scores = _pair_similarity(f, rows[members[:, a].ravel()], rows[members[:, b].ravel()], CONFLICT)
        scores = scores.reshape(len(sets), len(a))
        for k in np.flatnonzero(scores.min(axis=1) < COHESION_AT):
            distance = np.clip(1 - scores[k], 0, None)
            parts = fcluster(linkage(distance, method="average"), t=1 - COHESION_AT, criterion="distance") - 1
            yield members[k], parts


# --- state -------------------------------------------------------------------------------------------


@dataclass
class _Rows:
    """Sparse rows (one per group) of bigram codes and weights, CSR-style."""

    ptr: np.ndarray
    codes: np.ndarray
    weights: np.ndarray

    @classmethod
    def empty(cls) -> "_Rows":
        return cls(np.zeros(1, np.int64), np.zeros(0, np.uint64), np.zeros(0, np.float32))

    @classmethod
    def of(cls, rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> "_Rows":
        if not rows:
            return cls.empty()
        ptr = np.concatenate([[0], np.cumsum([len(c) for c, _ in rows])]).astype(np.int64)
        codes = np.concatenate([c for c, _ in rows]).astype(np.uint64)
        weights = np.concatenate([w for _, w in rows]).astype(np.float32)
        return cls(ptr, codes, weights)

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def row(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.codes[self.ptr[k] : self.ptr[k + 1]], self.weights[self.ptr[k] : self.ptr[k + 1]]

    def take(self, rows: np.ndarray) -> "_Rows":
        return _Rows.of([self.row(int(k)) for k in rows])

    def matrix(self, space: _Space, unit: bool) -> sp.csr_matrix:
        """The rows in ``space``'s columns (bigrams it lacks dropped); ``unit``: scaled to length 1 over
        all their bigrams first, so a cosine with them is right even where bigrams are dropped."""
        weights = self.weights.astype(np.float64)
        lengths = np.diff(self.ptr)
        owner = np.repeat(np.arange(len(self)), lengths)
        if unit and len(weights):
            norms = np.sqrt(np.bincount(owner, weights**2, minlength=len(self)))
            weights = weights / np.where(norms > 0, norms, 1)[owner]
        columns = space.index(_bucket(self.codes))
        kept = columns >= 0
        m = sp.csr_matrix(
            (weights[kept].astype(np.float32), (owner[kept], columns[kept])), shape=(len(self), len(space))
        )
        m.sum_duplicates()
        return m

    def keep(self, mask: np.ndarray) -> "_Rows":
        lengths = np.diff(self.ptr)
        entry = np.repeat(mask, lengths)
        ptr = np.concatenate([[0], np.cumsum(lengths[mask])]).astype(np.int64)
        return _Rows(ptr, self.codes[entry], self.weights[entry])

    def replace(self, rows: np.ndarray, new: "_Rows") -> "_Rows":
        """These rows replaced by ``new``'s, in order; the others unchanged. Vectorised: a state may
        hold hundreds of thousands of groups."""
        lengths = np.diff(self.ptr)
        new_lengths = lengths.copy()
        new_lengths[rows] = np.diff(new.ptr)
        ptr = np.concatenate([[0], np.cumsum(new_lengths)]).astype(np.int64)
        codes = np.zeros(ptr[-1], np.uint64)
        weights = np.zeros(ptr[-1], np.float32)
        untouched = np.ones(len(lengths), bool)
        untouched[rows] = False
        owner = np.repeat(np.arange(len(lengths)), lengths)
        at = ptr[owner] + np.arange(len(owner)) - self.ptr[owner]
        kept = untouched[owner]
        codes[at[kept]] = self.codes[kept]
        weights[at[kept]] = self.weights[kept]
        fresh_lengths = np.diff(new.ptr)
        fresh_at = (
            np.repeat(ptr[rows], fresh_lengths) + np.arange(len(new.codes)) - np.repeat(new.ptr[:-1], fresh_lengths)
        )
        codes[fresh_at] = new.codes
        weights[fresh_at] = new.weights
        return _Rows(ptr, codes, weights)

    def append(self, other: "_Rows") -> "_Rows":
        ptr = np.concatenate([self.ptr, other.ptr[1:] + self.ptr[-1]])
        return _Rows(ptr, np.concatenate([self.codes, other.codes]), np.concatenate([self.weights, other.weights]))


# Cells of the padded block _top_rows partitions at once.
TOP_BLOCK = 4_000_000


def _heaviest(m: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """``m`` (canonical CSR) with only the ``keep`` heaviest positive entries of each row (ties may keep
    a few more). Rows longer than ``keep`` are partitioned in padded blocks of similar length: sorting
    every entry would take minutes on a million rows."""
    m = m.tocsr()
    m.sum_duplicates()
    m.data[m.data < 0] = 0
    m.eliminate_zeros()
    lengths = np.diff(m.indptr)
    threshold = np.full(m.shape[0], -np.inf, np.float32)
    long_rows = np.flatnonzero(lengths > keep)
    long_rows = long_rows[np.argsort(lengths[long_rows], kind="stable")]
    start = 0
    while start < len(long_rows):
        widths = lengths[long_rows[start:]]
        count = max(1, int(np.searchsorted(np.arange(1, len(widths) + 1) * widths, TOP_BLOCK, side="right")))
        rows = long_rows[start : start + count]
        width = int(lengths[rows[-1]])
        block = np.full((len(rows), width), -np.inf, np.float32)
        owner = np.repeat(np.arange(len(rows)), lengths[rows])
        offset = np.arange(len(owner)) - np.repeat(np.cumsum(lengths[rows]) - lengths[rows], lengths[rows])
        block[owner, offset] = m.data[np.repeat(m.indptr[rows], lengths[rows]) + offset]
        threshold[rows] = np.partition(block, width - keep, axis=1)[:, width - keep]
        start += count
    m.data[m.data < np.repeat(threshold, lengths)] = 0
    m.eliminate_zeros()
    return m


def _top_rows(m: sp.csr_matrix, keep: int, space: _Space) -> _Rows:
    """The ``keep`` heaviest positive entries of each row of ``m`` (columns of ``space``), as bigram codes."""
    m = _heaviest(m, keep)
    return _Rows(m.indptr.astype(np.int64), space.codes[m.indices], np.round(m.data, 4).astype(np.float32))


def _code_space(codes: np.ndarray) -> _Space:
    return _Space.of(codes.astype(np.uint64))[0]


@dataclass
class State:
    """What incremental grouping needs: bigram document frequencies and one signature per group.

    A signature is the group's mean problem and place vectors, cut to their heaviest bigrams;
    ``reps`` is the group's most central record so far (its title names the group) and
    ``rep_scores`` that record's cosine to the group's mean problem vector."""

    records: int = 0
    next_group: int = 0
    problem_df: tuple = field(default_factory=lambda: (np.zeros(0, np.uint64), np.zeros(0, np.int64)))
    place_df: tuple = field(default_factory=lambda: (np.zeros(0, np.uint64), np.zeros(0, np.int64)))
    ids: list = field(default_factory=list)
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    keys: list = field(default_factory=list)
    reps: list = field(default_factory=list)
    rep_scores: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    terms: _Rows = field(default_factory=_Rows.empty)
    places: _Rows = field(default_factory=_Rows.empty)

    def index(self, group_id) -> int:
        return self.ids.index(group_id)

    def key_terms(self, group_id, count: int = 10) -> list[str]:
        """The group's heaviest problem bigrams, to show what the group is about."""
        codes, weights = self.terms.row(self.index(group_id))
        return [_decode(int(c)) for c in codes[np.argsort(-weights, kind="stable")][:count]]

    def copy(self) -> "State":
        return replace(
            self,
            ids=list(self.ids),
            sizes=self.sizes.copy(),
            keys=list(self.keys),
            reps=list(self.reps),
            rep_scores=self.rep_scores.copy(),
        )

    def to_json(self) -> dict:
        """A JSON-able dict; ``groups[str(id)]`` is one group's signature (a ``HotIssue.signature``)."""

        def terms(rows: _Rows, k: int) -> dict[str, float]:
            codes, weights = rows.row(k)
            return {_decode(int(c)): round(float(w), 4) for c, w in zip(codes, weights, strict=True)}

        return {
            "version": 1,
            "records": self.records,
            "next_group": self.next_group,
            "problem_df": {_decode(int(c)): int(n) for c, n in zip(*self.problem_df, strict=True)},
            "place_df": {_decode(int(c)): int(n) for c, n in zip(*self.place_df, strict=True)},
            "groups": {
                str(gid): {
                    "id": gid,
                    "n": int(self.sizes[k]),
                    "key": self.keys[k],
                    "rep": self.reps[k],
                    "rep_score": round(float(self.rep_scores[k]), 4),
                    "terms": terms(self.terms, k),
                    "places": terms(self.places, k),
                }
                for k, gid in enumerate(self.ids)
            },
        }

    @classmethod
    def from_json(cls, data: dict) -> "State":
        def df(entries: dict) -> tuple[np.ndarray, np.ndarray]:
            return np.array([_encode(t) for t in entries], np.uint64), np.array(list(entries.values()), np.int64)

        def rows(groups: list[dict], part: str) -> _Rows:
            return _Rows.of(
                [
                    (np.array([_encode(t) for t in g[part]], np.uint64), np.array(list(g[part].values()), np.float32))
                    for g in groups
                ]
            )

        groups = list(data.get("groups", {}).values())
        return cls(
            records=data.get("records", 0),
            next_group=data.get("next_group", 0),
            problem_df=df(data.get("problem_df", {})),
            place_df=df(data.get("place_df", {})),
            ids=[g["id"] for g in groups],
            sizes=np.array([g["n"] for g in groups], np.int64),
            keys=[g["key"] for g in groups],
            reps=[g["rep"] for g in groups],
            rep_scores=np.array([g["rep_score"] for g in groups], np.float32),
            terms=rows(groups, "terms"),
            places=rows(groups, "places"),
        )


def _group_means(m: sp.csr_matrix, labels: np.ndarray, groups: int) -> sp.csr_matrix:
    sizes = np.bincount(labels, minlength=groups)
    members = sp.csr_matrix(
        (1 / sizes[labels], (labels, np.arange(len(labels)))), shape=(groups, len(labels)), dtype=np.float32
    )
    return (members @ m).tocsr()


def _representatives(x: sp.csr_matrix, labels: np.ndarray, signatures: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Per group, the record closest to the group's signature (unit rows; ties: the first record) and
    its cosine."""
    scores = _row_dots(x, signatures, np.arange(len(labels)), labels)
    order = np.lexsort((np.arange(len(labels)), -scores, labels))
    first = np.concatenate([[True], labels[order][1:] != labels[order][:-1]])
    chosen = order[first]
    return chosen, scores[chosen]


def _group_keys(records: Sequence[Record], labels: np.ndarray, groups: int) -> list[str]:
    """Each group's place key: its records' key when they all share it, else empty."""
    keys: list = [None] * groups
    for record, label in zip(records, labels, strict=True):
        current = keys[label]
        keys[label] = record.place if current is None or current == record.place else ""
    return keys


def _new_groups(state: State, records: Sequence[Record], f: _Features, labels: np.ndarray) -> list:
    """Add one group per label of ``records`` to ``state``; returns the new ids in label order."""
    groups = int(labels.max()) + 1 if len(labels) else 0
    terms = _top_rows(_group_means(f.x, labels, groups), SIGNATURE_TERMS, f.x_space)
    reps, scores = _representatives(f.x, labels, terms.matrix(f.x_space, unit=True))
    ids = list(range(state.next_group, state.next_group + groups))
    state.ids = state.ids + ids
    state.next_group += groups
    state.sizes = np.concatenate([state.sizes, np.bincount(labels, minlength=groups)])
    state.keys = state.keys + _group_keys(records, labels, groups)
    state.reps = state.reps + [records[k].id for k in reps]
    state.rep_scores = np.concatenate([state.rep_scores, scores.astype(np.float32)])
    state.terms = state.terms.append(terms)
    state.places = state.places.append(_top_rows(_group_means(f.p, labels, groups), SIGNATURE_PLACES, f.p_space))
    return ids


def _scratch(records: Sequence[Record]) -> tuple[_Features, State]:
    return _batch(State(), records)[0:2]


def group(records: Sequence[Record]) -> tuple[dict, State]:
    """Group ``records`` from scratch: ``({record id: group id}, state)``; group ids are 0, 1, … in the
    order of each group's first record."""
    if not records:
        return {}, State()
    f, state = _scratch(records)
    labels = _cluster(f)
    ids = _new_groups(state, records, f, labels)
    return {r.id: ids[label] for r, label in zip(records, labels, strict=True)}, state


def build_state(records: Sequence[Record], assignment: dict) -> State:
    """A state for groups decided elsewhere (e.g. the app's groups after staff merged and split some):
    ``assignment`` maps each record id to its group id, which the state keeps."""
    f, state = _scratch(records)
    group_ids = list(dict.fromkeys(assignment[r.id] for r in records))
    position = {gid: k for k, gid in enumerate(group_ids)}
    _new_groups(state, records, f, np.array([position[assignment[r.id]] for r in records], np.int64))
    state.ids = group_ids
    # New groups get the next number: past the caller's ids that are numbers (or numbers as text).
    numbers = [int(g) for g in group_ids if isinstance(g, int) or (isinstance(g, str) and g.isdigit())]
    state.next_group = max(numbers, default=-1) + 1
    return state


# --- incremental ---------------------------------------------------------------------------------------


def _batch(state: State, records: Sequence[Record]) -> tuple[_Features, State, np.ndarray]:
    """Features of ``records`` weighted with the state's frequencies plus theirs; a copy of the state
    holding those frequencies; the state's group keys as ints in the same coding as the records'."""
    problem, places = _counts(records)
    problem_df, state_problem_df = problem.add_df(state.problem_df)
    place_df, state_place_df = places.add_df(state.place_df)
    known = {k: n for n, k in enumerate(dict.fromkeys(k for k in state.keys if k))}
    n = state.records + len(records)
    f = _features(problem, places, problem_df, place_df, n, _key_codes(records, known))
    group_keys = np.array([known[k] if k else -1 for k in state.keys], np.int64)
    state = replace(state.copy(), records=n, problem_df=state_problem_df, place_df=state_place_df)
    return f, state, group_keys


def assign_new(state: State, records: Sequence[Record]) -> tuple[dict, State]:
    """New records join the most similar existing group (at or above JOIN_AT) or form new groups among
    themselves. Returns ``({record id: group id}, updated state)``; ``state`` itself is left as it was."""
    if not records:
        return {}, state.copy()
    f, state, group_keys = _batch(state, records)
    best, best_sim = _best_groups(state, f, group_keys)
    joined = np.flatnonzero(best_sim >= JOIN_AT)
    assignment = {}
    if len(joined):
        _join(state, records, f, joined, best[joined])
        assignment.update({records[k].id: state.ids[best[k]] for k in joined})
    rest = np.flatnonzero(best_sim < JOIN_AT)
    if len(rest):
        sub = f.subset(rest)
        labels = _cluster(sub)
        ids = _new_groups(state, [records[k] for k in rest], sub, labels)
        assignment.update({records[k].id: ids[label] for k, label in zip(rest, labels, strict=True)})
    return assignment, state


def _best_groups(state: State, f: _Features, group_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each new record, the index of its most similar group and that similarity (0: none)."""
    best = np.full(f.n, -1, np.int64)
    best_sim = np.zeros(f.n, np.float32)
    if not state.ids:
        return best, best_sim
    sig_x, sig_p = state.terms.matrix(f.x_space, unit=True), state.places.matrix(f.p_space, unit=True)
    group_has_place = np.diff(state.places.ptr) > 0
    i, g = _sparse_product_pairs(
        _rare_columns(f.p, sig_p), _rare_columns(sig_p, sig_p), PLACE_AT * PREFILTER_SHARE, upper=False
    )
    # Records or groups naming no place: candidates by their problem bigrams (only these need them).
    new_x, sig_x_rare = _rare_columns(f.x, sig_x), _rare_columns(sig_x, sig_x)
    unplaced, placed = np.flatnonzero(~f.has_place), np.flatnonzero(f.has_place)
    vague_groups = np.flatnonzero(~group_has_place)
    a, b = _sparse_product_pairs(_heaviest(new_x[unplaced], QUERY_TERMS), sig_x_rare, UNPLACED_PREFILTER, False)
    c, d = _sparse_product_pairs(
        _heaviest(new_x[placed], QUERY_TERMS), sig_x_rare[vague_groups], UNPLACED_PREFILTER, False
    )
    i = np.concatenate([i, unplaced[a], placed[c]])
    g = np.concatenate([g, b, vague_groups[d]])
    if not len(i):
        return best, best_sim
    place_cos = _row_dots(f.p, sig_p, i, g)
    q = _place_factor(f.has_place[i], group_has_place[g], f.keys[i], group_keys[g], place_cos)
    s = _similarity(_row_dots(f.x, sig_x, i, g), q)
    order = np.lexsort((g, -s, i))
    first = np.concatenate([[True], i[order][1:] != i[order][:-1]])
    chosen = order[first]
    best[i[chosen]] = g[chosen]
    best_sim[i[chosen]] = s[chosen]
    return best, best_sim


def _fold(
    rows: _Rows,
    targets: np.ndarray,
    sizes: np.ndarray,
    m: sp.csr_matrix,
    space: _Space,
    members: np.ndarray,
    owners: np.ndarray,
    signs: float,
    keep: int,
) -> _Rows:
    """``rows`` with each target's mean moved by the records ``members`` of ``m`` (owners: the target
    each belongs to, an index into ``targets``) added (signs +1) or taken out (-1); ``sizes`` are the
    targets' sizes before."""
    old = rows.take(targets)
    union = _code_space(np.concatenate([old.codes, space.codes]))
    sums = sp.diags(sizes.astype(np.float32)) @ old.matrix(union, unit=False)
    moved = sp.csr_matrix(
        (np.full(len(members), signs, np.float32), (owners, np.arange(len(members)))),
        shape=(len(targets), len(members)),
    ) @ space.move(m[members], union)
    counts = sizes + signs * np.bincount(owners, minlength=len(targets))
    means = sp.diags((1 / np.maximum(counts, 1)).astype(np.float32)) @ (sums + moved)
    return rows.replace(targets, _top_rows(sp.csr_matrix(means), keep, union))


def _join(state: State, records: Sequence[Record], f: _Features, rows: np.ndarray, groups: np.ndarray) -> None:
    """Fold the joined records ``rows`` into their ``groups``' signatures (weighted means, cut again)."""
    targets, owners = np.unique(groups, return_inverse=True)
    sizes = state.sizes[targets]
    state.terms = _fold(state.terms, targets, sizes, f.x, f.x_space, rows, owners, 1, SIGNATURE_TERMS)
    state.places = _fold(state.places, targets, sizes, f.p, f.p_space, rows, owners, 1, SIGNATURE_PLACES)
    state.sizes[targets] += np.bincount(owners, minlength=len(targets))
    # A joined record names its group when it is closer to the new mean than the group's name was.
    scores = _row_dots(f.x, state.terms.take(targets).matrix(f.x_space, unit=True), rows, owners)
    for r, g, score in zip(rows, groups, scores, strict=True):
        if score > state.rep_scores[g]:
            state.rep_scores[g] = score
            state.reps[g] = records[r].id
        if state.keys[g] != records[r].place:
            state.keys[g] = ""


# --- staff edits -------------------------------------------------------------------------------------


def _one(state: State, record: Record) -> _Features:
    return _batch(state, [record])[0]


def merge_state(state: State, keep, other) -> State:
    """The state after staff merged group ``other`` into ``keep``: one signature, the size-weighted mean
    of both; the better-placed of their two representatives names it."""
    state = state.copy()
    a, b = state.index(keep), state.index(other)
    both = np.array([a, b])
    weights = sp.csr_matrix((state.sizes[both] / state.sizes[both].sum()).astype(np.float32)[None, :])
    for part, count in (("terms", SIGNATURE_TERMS), ("places", SIGNATURE_PLACES)):
        rows: _Rows = getattr(state, part)
        pair = rows.take(both)
        space = _code_space(pair.codes)
        setattr(
            state, part, rows.replace(np.array([a]), _top_rows(weights @ pair.matrix(space, unit=False), count, space))
        )
    state.sizes[a] += state.sizes[b]
    if state.rep_scores[b] > state.rep_scores[a]:
        state.reps[a], state.rep_scores[a] = state.reps[b], state.rep_scores[b]
    if state.keys[a] != state.keys[b]:
        state.keys[a] = ""
    return _drop(state, b)


def remove_from_state(state: State, group_id, record: Record) -> State:
    """The state after ``record`` left group ``group_id`` (staff split it off): its vectors are taken
    out of the group's mean (approximately: the mean was cut to its heaviest bigrams); a group left
    empty is dropped. Give the record a group of its own with ``add_to_state``."""
    state = state.copy()
    k = state.index(group_id)
    if state.sizes[k] <= 1:
        return _drop(state, k)
    f = _one(state, record)
    target, one = np.array([k]), np.zeros(1, np.int64)
    state.terms = _fold(state.terms, target, state.sizes[target], f.x, f.x_space, one, one, -1, SIGNATURE_TERMS)
    state.places = _fold(state.places, target, state.sizes[target], f.p, f.p_space, one, one, -1, SIGNATURE_PLACES)
    state.sizes[k] -= 1
    if state.reps[k] == record.id:
        state.rep_scores[k] = -1  # the next record to join (or the next regrouping) names the group
    return state


def add_to_state(state: State, record: Record, group_id=None) -> tuple[object, State]:
    """The state after staff put ``record`` into group ``group_id`` (None: a new group of its own);
    returns the group's id and the state."""
    state = state.copy()
    f = _one(state, record)
    if group_id is None:
        return _new_groups(state, [record], f, np.zeros(1, np.int64))[0], state
    _join(state, [record], f, np.zeros(1, np.int64), np.array([state.index(group_id)]))
    return group_id, state


def rename_groups(state: State, names: dict) -> State:
    """The state with group ids replaced (e.g. the ids ``assign_new`` gave new groups → their database
    keys); ids not in ``names`` stay."""
    state = state.copy()
    state.ids = [names.get(g, g) for g in state.ids]
    return state


def drop_groups(state: State, group_ids) -> State:
    """The state without these groups, e.g. single records older than a few months, which new records
    rarely join: the state then stays small (each group costs under 1 kB of JSON); a regrouping from
    scratch brings them back."""
    state = state.copy()
    gone = set(group_ids)
    return _drop(state, [k for k, g in enumerate(state.ids) if g in gone])


def _drop(state: State, k) -> State:
    mask = np.ones(len(state.ids), bool)
    mask[k] = False
    state.ids = [g for g, m in zip(state.ids, mask, strict=True) if m]
    state.keys = [g for g, m in zip(state.keys, mask, strict=True) if m]
    state.reps = [g for g, m in zip(state.reps, mask, strict=True) if m]
    state.sizes = state.sizes[mask]
    state.rep_scores = state.rep_scores[mask]
    state.terms = state.terms.keep(mask)
    state.places = state.places.keep(mask)
    return state


# --- heat ----------------------------------------------------------------------------------------------

# heat = Σ weight × part; each part grows slowly (logarithms) so no single figure decides alone.
HEAT_WEIGHTS = {
    "people": 2.0,  # ln(1 + distinct reporters): many people with one problem make it common (共性)
    "records": 0.5,  # ln(1 + records): the same people writing again count, but less
    "support": 0.5,  # ln(1 + max(0, likes − dislikes)): a like is a cheap, second-hand voice
    "span": 0.5,  # ln(1 + days from first to last record / 30): a problem that lasts is not solving itself
    "recency": 1.0,  # 0.5 ** (days since the last record / 30): halves for each quiet month
    "growth": 1.0,  # max(0, ln(1 + last 30 days) − ln(1 + monthly mean of the 90 days before)): rising now
}
RECENT_DAYS = 30
BASELINE_DAYS = 90


@dataclass(frozen=True)
class Heat:
    """A group's heat, its weighted ``parts`` (they add up to ``score``) and the figures behind them."""

    score: float
    parts: dict
    records: int
    people: int
    likes: int
    dislikes: int
    first: datetime | None
    last: datetime | None
    recent: int  # records in the RECENT_DAYS before ``now``
    before: int  # records in the BASELINE_DAYS before those


def _days(times: Sequence[datetime]) -> np.ndarray:
    return np.array([t.timestamp() / 86400 for t in times], np.float64)


def _heats(labels: np.ndarray, records: Sequence[Record], now: datetime) -> list[Heat]:
    """Heat of every group (labels 0..k-1), vectorised: a million records take seconds, not minutes."""
    groups = int(labels.max()) + 1 if len(labels) else 0
    day = _days([r.time for r in records])
    today = now.timestamp() / 86400
    likes = np.bincount(labels, np.array([r.likes for r in records], np.float64), groups)
    dislikes = np.bincount(labels, np.array([r.dislikes for r in records], np.float64), groups)
    count = np.bincount(labels, minlength=groups)
    persons = [r.person or ("", r.id) for r in records]
    person_codes = np.unique(np.array([hash(p) for p in persons], np.int64), return_inverse=True)[1]
    pairs = np.unique(np.stack([labels, person_codes.ravel()], axis=1), axis=0)
    people = np.bincount(pairs[:, 0], minlength=groups)
    first = np.full(groups, np.inf)
    last = np.full(groups, -np.inf)
    np.minimum.at(first, labels, day)
    np.maximum.at(last, labels, day)
    age = today - day
    recent = np.bincount(labels, ((age >= 0) & (age < RECENT_DAYS)).astype(np.float64), groups)
    before = np.bincount(
        labels, ((age >= RECENT_DAYS) & (age < RECENT_DAYS + BASELINE_DAYS)).astype(np.float64), groups
    )
    raw = {
        "people": np.log1p(people),
        "records": np.log1p(count),
        "support": np.log1p(np.maximum(0, likes - dislikes)),
        "span": np.log1p((last - first) / 30),
        "recency": 0.5 ** (np.maximum(0, today - last) / 30),
        "growth": np.maximum(0, np.log1p(recent) - np.log1p(before * RECENT_DAYS / BASELINE_DAYS)),
    }
    parts = {name: HEAT_WEIGHTS[name] * value for name, value in raw.items()}
    score = sum(parts.values())
    tz = now.tzinfo
    # Plain lists, one Heat per group from them: per-element numpy access would dominate at a million.
    part_rows = zip(*(np.round(value, 4).tolist() for value in parts.values()), strict=True)
    columns = zip(
        np.round(score, 4).tolist(),
        part_rows,
        count.tolist(),
        people.tolist(),
        likes.astype(np.int64).tolist(),
        dislikes.astype(np.int64).tolist(),
        first.tolist(),
        last.tolist(),
        recent.astype(np.int64).tolist(),
        before.astype(np.int64).tolist(),
        strict=True,
    )
    names = list(parts)
    return [
        Heat(s, dict(zip(names, p, strict=True)), n, pe, li, di, _moment(f, tz), _moment(la, tz), r, b)
        for s, p, n, pe, li, di, f, la, r, b in columns
    ]


def _moment(day: float, tz) -> datetime:
    return datetime.fromtimestamp(day * 86400, tz)


def heat(records: Sequence[Record], now: datetime) -> Heat:
    """The heat of one group of records as of ``now`` (see HEAT_WEIGHTS for the formula)."""
    return _heats(np.zeros(len(records), np.int64), records, now)[0]


def title(records: Sequence[Record], state: State | None = None) -> str:
    """A short name for a group: the title of its most central record (closest to the group's mean
    problem vector, weighted by the state's frequencies when given); its text's start if untitled."""
    if not records:
        return ""
    f = _batch(state or State(), records)[0]
    mean = _unit_rows(_group_means(f.x, np.zeros(len(records), np.int64), 1))
    scores = (f.x @ mean.T).toarray().ravel()
    return _name(records[int(np.argmax(scores))])


def _name(record: Record) -> str:
    return record.title or record.text[:TITLE_CHARS]


TITLE_CHARS = 30


@dataclass(frozen=True)
class Summary:
    group: object
    heat: Heat
    title: str
    record_ids: list


def rank(records: Sequence[Record], assignment: dict, now: datetime, state: State | None = None) -> list[Summary]:
    """Every group, hottest first: its heat and title (the state's representative when the state
    knows the group, otherwise computed from the records)."""
    group_ids = list(dict.fromkeys(assignment[r.id] for r in records))
    position = {g: k for k, g in enumerate(group_ids)}
    labels = np.array([position[assignment[r.id]] for r in records], np.int64)
    heats = _heats(labels, records, now)
    order = np.argsort(labels, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(labels, minlength=len(group_ids)))]).tolist()
    order = order.tolist()
    by_id = {r.id: r for r in records}
    reps = dict(zip(state.ids, state.reps, strict=True)) if state is not None else {}
    summaries = []
    for g, gid in enumerate(group_ids):
        members = order[bounds[g] : bounds[g + 1]]
        rep = reps.get(gid)
        if rep in by_id:
            name = _name(by_id[rep])
        elif len(members) == 1:
            name = _name(records[members[0]])
        else:
            name = title([records[k] for k in members], state)
        summaries.append(Summary(gid, heats[g], name, [records[k].id for k in members]))
    summaries.sort(key=lambda s: -s.heat.score)
    return summaries
