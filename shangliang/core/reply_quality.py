"""Reply quality (答复质量): how timely, relevant, complete and well-founded a unit's reply is.

A unit's reply to a hotline record or an assignment is scored on four parts, each 0..1 and each with
a reason in words, so the supervision board can show why a reply was flagged rather than a bare number.
Everything is read from the reply's *substance*: the reply without greetings, "留言已收悉", thanks,
forwarding ("已转市住建局调查处理"), referrals ("请拨打…咨询"), promises to study the matter, the
sign-off date, and quotations that merely echo the question's title, so boilerplate that repeats the
subject earns nothing. A reply with less than ``MIN_SUBSTANCE`` characters of substance is "仅作程序性
答复" and scores 0 on relevance, completeness and basis.

- **timeliness**: working days from the question to the reply (``working_days_between``, injected by
  the app so the official calendar with its 调休 days applies; Mon–Fri by default). Within
  ``due_working_days`` scores 1, then it halves with every further ``due_working_days`` (10 due: 20
  days 0.5, 30 days 0.25). Unknown times give ``None``: the part is left out of the total, not zeroed.
- **relevance**: is the reply about the question? The higher of a word measure (the question's key
  words, jieba words minus stop words and officialese weighted by ``1 + log tf`` times jieba's bundled
  IDF, found in the reply, and the reply's key words found in the question) and a character measure
  (rarity-weighted character cosine, which catches answers in other words: 环城带 for 绕城高速绿带);
  below ``OFF_TOPIC_BELOW`` it is "答非所问".
- **completeness**: the question is split into its points (``points``: enumerations 一是/二是, 1./2.,
  (1)/(2); else sentences with a question mark or an ask such as 能否/是否/何时/为什么/怎么, and
  requests such as 希望/请求/建议; the subject when it asks; else the whole question is one point). A
  point is answered when enough of its key words are in the reply, or a sentence of the reply is alike
  in characters, or (for a reply relevant as a whole) the reply gives an answer of the kind asked: a
  time for 何时, a procedure for 需要什么手续, a cause for 为什么. A plea (希望尽快解决) is about the
  subject, whose words count as its own. The score is the share of points answered; below half, with
  two points or more, it is "未逐项答复".
- **basis**: what the reply rests on, added up and capped at 1: a named document, article or document
  number (《…》, 第X条, 〔2019〕2号) 1.0; a rule or policy mentioned without naming it (规定, 政策,
  根据…文件, 按照…标准) 0.5; a check (经核实, 经调查, 现场查看, 经与…联系) 0.4; concrete facts
  (dates, figures with units; phone numbers and the sign-off date do not count) 0.3. Nothing is
  "未说明依据".

The ``total`` is the mean of the known parts weighted by ``WEIGHTS`` (relevance 0.30, completeness
0.25, timeliness 0.25, basis 0.20: what the reply says matters more than how fast or how it is
argued). ``flags`` name what is wrong in a few characters (``FLAGS``); a reply ``is_low`` when its
total is below ``LOW_BELOW`` or it has a serious flag (no reply, only procedural, off topic).

Limits (measured on 2,816 real replies and checked by hand in docs/benchmarks.md): the measures are
lexical. A precise answer in wholly other words (异地报销 asked, 携带资料到窗口审核 answered) scores
lower than it should; a vague statement of policy that uses the question's words scores higher; a
rhetorical question or a list of names with a question mark counts as a point to answer. The score is
a pointer for a supervisor to read the reply, not a verdict.

Pure (jieba, no Django), so bench/reply_quality.py measures the same code the app runs. Flags and
reasons are Chinese message ids marked with ``gettext_noop`` for makemessages; the app shows them
through ``gettext`` (a reason is ``gettext(part.reason) % part.params``).
"""

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache

from shangliang.core.text import folded


def gettext_noop(message: str) -> str:
    """Mark ``message`` for makemessages (which looks for this name) without importing Django."""
    return message


# --- flags and weights -------------------------------------------------------------------------------

NO_REPLY = gettext_noop("未作答复")
PROCEDURAL = gettext_noop("仅作程序性答复")
OFF_TOPIC = gettext_noop("答非所问")
INCOMPLETE = gettext_noop("未逐项答复")
NO_BASIS = gettext_noop("未说明依据")
LATE = gettext_noop("超期答复")
FLAGS = (NO_REPLY, PROCEDURAL, OFF_TOPIC, INCOMPLETE, NO_BASIS, LATE)
# Any of these makes a reply low whatever its total: the asker got no answer to the question.
SERIOUS = frozenset({NO_REPLY, PROCEDURAL, OFF_TOPIC})

WEIGHTS = {"timeliness": 0.25, "relevance": 0.30, "completeness": 0.25, "basis": 0.20}
LOW_BELOW = 0.5

# --- thresholds (tuned on govmsg/replies.csv against shuffled question/reply pairs, see the bench) ---

KEY_TERMS = 10
# The subject's words count this much more than the body's.
SUBJECT_WEIGHT = 1.0
POINT_TERMS = 5
# The words that make a question's topic, which a plea (希望尽快解决) is about: the subject's (it names
# the matter), else the question's heaviest.
TOPIC_TERMS = 6
MAX_POINTS = 6
# Overlap (mean of the two directions, see ``relevance``) that makes a reply fully relevant.
RELEVANCE_FULL_AT = 0.4
# Character similarity of unrelated texts (median of shuffled pairs about 0.07) and of a clearly related
# reply (median of real pairs about 0.37); characters as common as this IDF count nothing.
SIMILARITY_FLOOR = 0.06
SIMILARITY_FULL = 0.36
CHARACTER_COMMON = 5.0
CHARACTER_UNKNOWN = 10.0
# Relevance below this is "答非所问" (words and characters both low).
OFF_TOPIC_BELOW = 0.2
# Weighted share of a point's key words, or character similarity of a reply sentence to it, that makes a
# point answered (answered shuffled pairs: 4 %, see the bench).
POINT_AT = 0.25
POINT_SIMILAR_AT = 0.25
# A reply with fewer characters of substance than this says nothing beyond procedure.
MIN_SUBSTANCE = 15
# A quotation in the reply this long whose bigrams are mostly in the question echoes it.
ECHO_MIN_CHARS = 8
ECHO_SHARE = 0.7
# A partly matching key word (景蓉华苑 asked, 景蓉花苑 answered) counts for its share of bigrams times this;
# one found with up to GAP_CHARS characters between its own (电表 asked, 电能表 answered) counts this much.
PARTIAL_CREDIT = 0.8
GAP_CHARS = 2
GAPPED_CREDIT = 0.6
# What each kind of basis adds (capped at 1): a named document, a rule not named, a check, concrete facts.
BASIS = {"cited": 1.0, "rule": 0.5, "checked": 0.4, "facts": 0.3}

# --- words -------------------------------------------------------------------------------------------

# Function words, asks and the officialese of both sides: they say nothing about what was asked.
STOP_WORDS = frozenset(
    """
    我们 你们 他们 她们 它们 自己 大家 这个 那个 这些 那些 这里 那里 这样 那样 这种 那种 什么 怎么 怎样
    为什么 为何 如何 哪里 哪些 哪个 多少 多久 何时 是否 能否 可否 能不能 可不可以 有没有 是不是 会不会
    请问 问题 反映 情况 相关 有关 部门 单位 领导 政府 希望 要求 请求 恳请 建议 呼吁 尽快 及时 解决 处理
    落实 给予 予以 能够 可以 应该 需要 没有 已经 现在 目前 一直 还是 但是 因为 所以 如果 虽然 而且 并且
    或者 以及 还有 就是 不是 只是 而是 对于 关于 由于 通过 进行 作为 之后 以后 以前 之前 时候 今年 去年
    明年 每天 一下 一些 一个 一样 非常 特别 真的 比较 十分 严重 很多 不能 不会 不要 不了 不到 得到
    造成 导致 存在 出现 发生 影响 方面 工作 事情 事项 市民 群众 居民 百姓 老百姓 网友 您好 你好 谢谢 感谢
    支持 关注 关心 监督 理解 留言 来信 回复 答复 收悉 书记 市长 局长 主任 同志 先生 女士 各位 尊敬 万分
    麻烦 帮忙 帮助 重视 高度重视 切实 认真 积极 有效 进一步 加强 加大 力度 督促 协调 调查 核实 本人
    我家 家里 他人 别人 有人 有些 所有 其他 其它 以上 以下 左右 之间 期间 同时 然后 甚至 另外 还要
    咨询 投诉 举报 反应 诉求 有关部门 相关部门 职能部门 主管部门 相关单位 有关单位 市委 市政府
    一是 二是 三是 四是 五是 第一 第二 第三 第四 第五 其一 其二 其三 真是 实在 再说 要么 为啥 干嘛 谢谢您
    感谢您 您们好 大家好 这边 那边 才能 什么样 看看 答案 交给 肯请 多次 结果 为民
    """.split()  # noqa: SIM905 (a table of words reads better than a list of quoted ones)
)
# Anonymised or abbreviated administrative names (A市, K11县县) are cut out before reading words: jieba
# would glue the 市 to the next name (K市舜德); single letters say nothing on their own.
ADMIN_CODE = re.compile(r"[A-Z]\d*[市区县]+")
CODE = re.compile(r"[A-Za-z]\d{0,3}")
# What jieba segments as one run (its ``re_han_default``).
BLOCK = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")
WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z]")
HAN = re.compile(r"[\u4e00-\u9fff]")

# --- reply substance ---------------------------------------------------------------------------------

REPLY_SENTENCE = re.compile(r"[。!?;\n]")
REPLY_CLAUSE = re.compile(r"[。!?;\n]+|(?<!\d):|:(?!\d)")
# Acknowledgements and forwarding are judged phrase by phrase: they often share a sentence with substance.
REPLY_PHRASE = re.compile(r",")
ACK = re.compile(
    r"收悉|已收到|收到您|(回复|答复|说明|汇报|反馈|函复)如下|感谢|谢谢|您好|你好|敬礼|高度重视|祝|很高兴|"
    r"(您|你)(的|对).{0,15}(支持|理解|关心|关注|监督)|(您|你).{0,6}(留言|来信|网帖|帖文|来函|函件|来电|来帖)|"
    r"(留言|来信|来帖|来函|帖文|网帖)(已阅|收到|所述|所反映|反映的)|特此(答复|回复|函复)|欢迎.{0,8}监督"
)
ADDRESS = re.compile(r"网友|网民|市民|来信人|同志|先生|女士|朋友|用户")
# Forwarding, referring elsewhere, declining, promising a later answer or to "study" the matter:
# procedure. A phrase with a date or a figure in it may say more (已转交城管局, 5月3日已拆除).
FORWARD = re.compile(
    r"转至|转到|转由|转给|转交|转送|转办|转请|移交|交由|交办|核处|"
    r"转.{0,30}(处理|办理|调查|核处|核实|答复|回复|办复|反馈|部门|单位|政府|局|委|办)|"
    r"耐心等待|敬请关注|请勿重复|后续回复|如有|如在.{0,12}(问题|疑问)|具体问题|详询|咨询电话|联系电话|"
    r"电话[:]?\s*[\d-]{7,}|拨打|致电|可(与|向|直接联系|直接与)|"
    r"(请|建议)(您|你)?(直接)?(向|到|与|联系).{0,25}(反映|咨询|联系|反馈|了解)|建议(您|你)?(直接)?咨询|"
    r"请(您|你)?(提供|补充)|不(在|属于?|归).{0,10}(管辖|管理范围|职权|职责|职能|受理)|无效信件|(不再|无法).{0,12}处理|"
    r"(及时|将|会).{0,6}(反馈|回复|答复)|(将|会)(予以|进行)?(认真|充分|积极)?(研究|考虑|斟酌|论证|反馈|处理)"
)
# Pointing to an answer given elsewhere: the whole sentence is procedure, even with that answer's date.
ELSEWHERE = re.compile(r"已(经)?(作出|做出)?(回复|答复|办复)|作了?(回复|答复)|链接|详见|详情请|点击")
URL = re.compile(r"https?://\S+|www\.\S+")
DATE_ONLY = re.compile(r"[\d年月日.\-/ ]+")
SIGN_OFF_DATE = re.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}\s*[月.\-/]\s*\d{1,2}\s*日?\s*$")
# Phrases up to this long that acknowledge, address or forward say nothing else; longer ones also say
# something.
ACK_MAX_CHARS = 20
ADDRESS_MAX_CHARS = 12
FORWARD_MAX_CHARS = 30
ELSEWHERE_MAX_CHARS = 60
# The asker's handle quoted in the greeting (网友"UU008964"您好).
HANDLE = re.compile(r"[“\"][A-Za-z0-9_]+[”\"]")
QUOTE = re.compile(r"“([^”]*)”|\"([^\"]*)\"|'([^']*)'")

# --- question points ---------------------------------------------------------------------------------

XLSX_RETURN = re.compile(r"_x000[dD]_")
CIRCLED = {chr(0x2460 + i): f"({i + 1})" for i in range(20)}
NUMERALS = "一二三四五六七八九十"
# Enumeration marks: 一是, 第一, 其一, 一、 and 1、 1. 1) after a stop or at the start; (1) and (一)
# (circled numbers become these in ``clean``) anywhere, their brackets set them apart.
ENUMERATION = re.compile(
    rf"(?:(?:^|(?<=[\s。,;:!?、]))(?:[{NUMERALS}]是|第[{NUMERALS}](?:[是,、:]|点|个问题)|其[{NUMERALS}][是,、:]?|"
    rf"[{NUMERALS}]、|\d{{1,2}}[、.](?!\d)|\d{{1,2}}\)))|\(\d{{1,2}}\)|\([{NUMERALS}]\)"
)
SENTENCE = re.compile(r"(?<=[。!?;\n])")
PHRASE = re.compile(r"[,:]")
# Ask sentences longer than this are cut to their asking clauses.
ASK_WINDOW = 40
INTERROGATIVE = re.compile(
    r"\?|能否|可否|是否|何时|什么时候|为什么|为何|怎么|怎样|如何|多少|多久|哪里|哪些|哪个|请问|有没有|"
    r"可不可以|能不能|会不会|是不是"
)
REQUEST = re.compile(r"希望|请求|恳请|要求|建议|呼吁|请(有关|相关|政府|领导|部门|尽快|帮|给|予以|查|解决|落实|督促)")
ASK = re.compile(f"{INTERROGATIVE.pattern}|{REQUEST.pattern}")

# A question asked in a certain way is answered by a reply of the matching kind, in whatever words: when
# something will happen (a time), how to do it (a procedure), whether (a yes or no), why (a cause), how
# many (a figure). Read only for a reply that is relevant as a whole. (Who or where is left out: nearly
# every reply names a body.)
ANSWER_KINDS = (
    (
        re.compile(r"何时|什么时候|多久|几时|哪天|时间"),
        re.compile(r"\d+\s*月|\d{4}\s*年|年底|年内|年前|年后|月底|近期|预计|计划|天内|日内|之前|目前"),
    ),
    (
        re.compile(r"怎么办|怎么(办理|申请|操作)|如何|怎样|什么手续|什么条件|什么材料|哪些材料|流程|需要什么|要什么"),
        re.compile(r"办理|申请|提交|携带|持有?|材料|证明|手续|条件|流程|程序|应当|须|需要?|可以?到|登记"),
    ),
    (
        re.compile(r"能否|可否|是否|能不能|可不可以|会不会|是不是|有没有|吗"),
        re.compile(r"可以|不能|不得|允许|不予|符合|属于|属实|不存在|没有|暂无|无法|同意|能够|不会"),
    ),
    (re.compile(r"为什么|为何|凭什么|什么原因|怎么回事"), re.compile(r"因为|由于|原因|因|系|鉴于|导致|所以|为了|目的")),
    (re.compile(r"多少|多大|多高|多长|多远|几个|几年|几天"), re.compile(r"\d")),
)
# Relevance from which a reply's answers of the matching kind count.
ANSWER_KIND_RELEVANCE = 0.5

# --- basis -------------------------------------------------------------------------------------------

# A book title that names the message board itself (《问政西地省》栏目) is not a basis.
CITATION = re.compile(r"《([^《》]{2,40})》(?!栏目|平台|网站|频道)")
NOT_A_DOCUMENT = re.compile(r"问政|信箱|栏目|平台|网站|频道|热线")
ARTICLE = re.compile(rf"第[{NUMERALS}百零〇\d]+[条款项]")
DOCUMENT_NUMBER = re.compile(r"[〔\[(【]\s*\d{4}\s*[〕\])】]\s*\d+\s*号")
RULE = re.compile(
    r"规定|依据|政策|条例|法律|法规|办法|细则|实施意见|实施方案|标准|规范|规则|原则|规划(?![局院处所])|批文|文件|"
    r"(根据|按照|依照|遵照).{0,20}(文件|规定|政策|办法|条例|通知|意见|精神|标准|法|要求|程序|规划)"
)
CHECKED = re.compile(
    r"(经过?)?(现场|实地)[^,。]{0,4}(查看|勘查|勘察|核查|检查|察看|调查|走访|测量)|"
    r"经过?(核实|调查|查|了解|核查|走访|排查|检测|监测|勘查|勘察|查证|摸底|研究|测量)|调查了解|检测结果|监测数据|经咨询|"
    r"经(与|向)[^,。]{1,12}(联系|咨询|了解|核实|确认)"
)
PHONE = re.compile(r"\d{3,4}[-—]\d{6,8}|1\d{2}\*{4}\d{4}|\d{7,}")
FACT = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(上|中|下)旬|\d{4}-\d{1,2}-\d{1,2}|"
    r"\d+(\.\d+)?\s*(%|万元|亿元|万|亿|元|千米|公里|米|km|m|户|人|名|个|台|辆|平方米|平米|㎡|亩|天|小时|分钟|"
    r"年|吨|次|家|所|处|条|座|栋|套|盏|根|间|批|项|期|公顷|分贝|dB|号)"
)


# --- results -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One part of the score; ``reason % params`` says why in words (``text``)."""

    score: float | None
    reason: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.reason % self.params if self.params else self.reason


@dataclass(frozen=True)
class Quality:
    """A reply's score: the weighted ``total``, its parts, the flags, whether it is low, the points
    read from the question (for the page) and the working days taken (``None`` when unknown)."""

    total: float
    timeliness: Part
    relevance: Part
    completeness: Part
    basis: Part
    flags: tuple[str, ...]
    is_low: bool
    points: tuple[str, ...]
    working_days: int | None

    def parts(self) -> dict[str, Part]:
        return {name: getattr(self, name) for name in WEIGHTS}


# --- working days ------------------------------------------------------------------------------------


def weekdays_between(start: date, end: date) -> int:
    """Monday to Friday days after ``start`` up to and including ``end`` (0 when ``end`` is not later).

    The fallback when no calendar is injected: it knows no public holidays and no 调休 days.
    """
    if end <= start:
        return 0
    weeks, rest = divmod((end - start).days, 7)
    return weeks * 5 + sum((start.weekday() + day) % 7 < 5 for day in range(1, rest + 1))


def _as_date(value: datetime | date | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def timeliness(
    asked_at: datetime | date | None,
    replied_at: datetime | date | None,
    *,
    working_days_between: Callable[[date, date], int] | None = None,
    due_working_days: int = 10,
) -> tuple[Part, int | None]:
    """The timeliness part and the working days taken (``None`` for both when a time is missing)."""
    asked, replied = _as_date(asked_at), _as_date(replied_at)
    if asked is None or replied is None:
        return Part(None, gettext_noop("缺少提问或答复时间，不计时效")), None
    days = max(0, (working_days_between or weekdays_between)(asked, replied))
    params = {"days": days, "due": due_working_days}
    if days <= due_working_days:
        return Part(1.0, gettext_noop("用时 %(days)d 个工作日，在 %(due)d 个工作日期限内"), params), days
    score = 0.5 ** ((days - due_working_days) / max(1, due_working_days))
    params["over"] = days - due_working_days
    return Part(
        score, gettext_noop("用时 %(days)d 个工作日，超出 %(due)d 个工作日期限 %(over)d 个工作日"), params
    ), days


# --- text --------------------------------------------------------------------------------------------


def clean(text: str | None) -> str:
    """Normalised text with circled numbers kept as enumerations (NFKC would make ① a bare 1) and the
    line breaks that XLSX exports write as ``_x000D_`` made line breaks again."""
    if not text:
        return ""
    return folded("".join(CIRCLED.get(ch, ch) for ch in XLSX_RETURN.sub("\n", text)))


@cache
def _jieba():
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)
    jieba.initialize()
    tfidf = jieba.analyse.TFIDF()
    return jieba, tfidf.idf_freq, tfidf.median_idf


@cache
def _character_weights() -> dict[str, float]:
    """Each character's weight for ``_similarity``: its IDF over jieba's dictionary (how rare the words
    holding it are) less ``CHARACTER_COMMON``, so 的/是/有 weigh nothing and 椅/绿/翻 much."""
    frequency: Counter = Counter()
    for word, count in _jieba()[0].dt.FREQ.items():
        for character in set(word):
            frequency[character] += count
    total = sum(frequency.values())
    return {c: max(0.0, math.log(total / n) - CHARACTER_COMMON) for c, n in frequency.items() if n}


def _character_vector(text: str) -> dict[str, float]:
    weights = _character_weights()
    counts = Counter(HAN.findall(text))
    return {c: math.sqrt(n) * weights.get(c, CHARACTER_UNKNOWN) for c, n in counts.items()}


def _similarity(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(value * b.get(c, 0.0) for c, value in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _is_key_word(word: str, known: dict) -> bool:
    """Two characters or more, not a stop word; a two-character word jieba guessed (not in its
    dictionary) is mostly a fragment across a word boundary (我本, 时所), so it is left out; longer
    guesses are mostly names (德润园, 舜皇城) and stay."""
    return (
        len(word) >= 2
        and word not in STOP_WORDS
        and bool(WORDLIKE.search(word))
        and not CODE.fullmatch(word)
        and (len(word) > 2 or bool(known.get(word)))
    )


@lru_cache(maxsize=65536)
def _block_counts(block: str) -> tuple[tuple[str, int], ...]:
    jieba = _jieba()[0]
    known = jieba.dt.FREQ
    return tuple(Counter(word.lower() for word in jieba.lcut(block) if _is_key_word(word, known)).items())


def _weights(text: str) -> dict[str, float]:
    """Key words of ``text`` weighted ``1 + log tf`` times IDF.

    jieba segments each run of word characters (a block) on its own, so counting block by block gives
    its words for the whole text while each sentence of a question, segmented again as a point, is
    found in the cache rather than segmented twice.
    """
    _, idf, median = _jieba()
    counts: Counter = Counter()
    for block in BLOCK.findall(ADMIN_CODE.sub(" ", text)):
        counts.update(dict(_block_counts(block)))
    return {word: (1 + math.log(n)) * idf.get(word, median) for word, n in counts.items()}


def key_terms(text: str, limit: int, subject: str = "") -> dict[str, float]:
    """The ``limit`` heaviest key words of ``text`` with their weights (``1 + log tf`` times IDF); the
    words of ``subject`` (the record's title, which sums it up) count ``1 + SUBJECT_WEIGHT`` times."""
    weights = _weights(text)
    for word, weight in _weights(subject).items():
        weights[word] = weights.get(word, 0.0) + SUBJECT_WEIGHT * weight
    return dict(sorted(weights.items(), key=lambda item: -item[1])[:limit])


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _gapped(term: str, text: str) -> bool:
    """Whether ``term``'s characters occur in ``text`` in order, at most ``GAP_CHARS`` apart."""
    start = text.find(term[0])
    while start != -1:
        at = start
        for character in term[1:]:
            at = text.find(character, at + 1, at + 2 + GAP_CHARS)
            if at == -1:
                break
        else:
            return True
        start = text.find(term[0], start + 1)
    return False


def _found(term: str, text: str, bigrams: set[str]) -> float:
    """1 when ``term`` is in ``text``; partly found, less: its characters in order with a character or
    two between them (电表 in 电能表) count ``GAPPED_CREDIT``, a long term's share of bigrams (景蓉华苑 in
    景蓉花苑) ``PARTIAL_CREDIT`` times that share."""
    if term in text:
        return 1.0
    credit = PARTIAL_CREDIT * len(_bigrams(term) & bigrams) / (len(term) - 1) if len(term) > 2 else 0.0
    if credit < GAPPED_CREDIT and _gapped(term, text):
        return GAPPED_CREDIT
    return credit


def _coverage(terms: dict[str, float], text: str, bigrams: set[str]) -> tuple[float, list[str], list[str]]:
    """Weighted share of ``terms`` found in ``text``, the words found and the words missing."""
    total = sum(terms.values())
    if not total:
        return 0.0, [], []
    found, missing, share = [], [], 0.0
    for term, weight in terms.items():
        credit = _found(term, text, bigrams)
        share += weight * credit
        (found if credit >= 0.5 else missing).append(term)
    return share / total, found, missing


def _echoes(quote: str, question_bigrams: set[str]) -> bool:
    own = _bigrams(quote)
    return len(quote) >= ECHO_MIN_CHARS and len(own & question_bigrams) >= ECHO_SHARE * len(own)


def substance(reply: str, question: str = "") -> str:
    """What the reply says beyond procedure: no greeting, acknowledgement, thanks, forwarding, sign-off
    date, and no quotation that merely repeats the question (关于您反映的"…"问题)."""
    question_bigrams = _bigrams(question)
    reply = HANDLE.sub("", URL.sub("", reply))
    reply = QUOTE.sub(
        lambda m: "" if _echoes(m.group(m.lastindex or 0), question_bigrams) else m.group(0),
        reply,
    )
    reply = SIGN_OFF_DATE.sub("", reply.strip())
    kept = []
    for clause in REPLY_CLAUSE.split(reply):
        if ELSEWHERE.search(clause) and len(HAN.findall(clause)) <= ELSEWHERE_MAX_CHARS:
            continue
        phrases = [phrase.strip(" 、") for phrase in REPLY_PHRASE.split(clause)]
        said = [_said_something(phrase) for phrase in phrases]
        if any(said):
            # A date among phrases of substance is one of its facts (5月31日,又组织召开协调会议).
            kept.append(",".join(p for p, s in zip(phrases, said, strict=True) if s or DATE_ONLY.fullmatch(p)))
    return "。".join(kept)


def _said_something(phrase: str) -> bool:
    chars = len(HAN.findall(phrase))
    if not chars or DATE_ONLY.fullmatch(phrase):
        return False
    if ACK.search(phrase) and chars <= ACK_MAX_CHARS:
        return False
    if ADDRESS.search(phrase) and chars <= ADDRESS_MAX_CHARS:
        return False
    return not (FORWARD.search(phrase) and chars <= FORWARD_MAX_CHARS and not FACT.search(PHONE.sub("", phrase)))


def _ask_window(sentence: str) -> str:
    """A long sentence cut to its asking clauses, each with the clause before it (what it asks about):
    the story around an ask would lend the point words the reply need not repeat."""
    if len(sentence) <= ASK_WINDOW:
        return sentence
    clauses = [c for c in PHRASE.split(sentence) if c.strip()]
    keep = sorted({j for i, c in enumerate(clauses) if ASK.search(c) for j in (i - 1, i) if j >= 0})
    return ",".join(clauses[j].strip() for j in keep) or sentence


def _asks(text: str) -> list[str]:
    """The enumerated items of ``text`` when it has two or more, else its sentences that ask."""
    marks = list(ENUMERATION.finditer(text))
    if len(marks) < 2:
        return [_ask_window(sentence.strip()) for sentence in SENTENCE.split(text) if ASK.search(sentence)]
    items = []
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        item = text[mark.end() : following.start() if following else len(text)]
        if following is None:
            item = SENTENCE.split(item)[0]
        items.append(item.strip(" ,;、。"))
    return items


def points(question: str, subject: str = "") -> list[str]:
    """The points a question asks, in order (see the module's description); never empty for a question.

    The subject is a point of its own when it asks something (请求延长X路公交); a point whose key
    words an earlier point already has is the same point again (the body often repeats the subject).
    """
    return _points(clean(question), clean(subject))


def _points(question: str, subject: str) -> list[str]:
    """``points`` of texts already cleaned."""
    question, subject = question.strip(), subject.strip()
    found = ([subject] if ASK.search(subject) else []) + _asks(question)
    unique: list[str] = []
    seen: list[set[str]] = []
    for point in found:
        terms = set(key_terms(point, POINT_TERMS))
        if terms and not any(terms <= earlier for earlier in seen):
            unique.append(point)
            seen.append(terms)
    if len(unique) > MAX_POINTS:
        heaviest = sorted(unique, key=lambda p: -sum(key_terms(p, POINT_TERMS).values()))[:MAX_POINTS]
        unique = [p for p in unique if p in heaviest]
    if not unique:
        whole = "。".join(part for part in (subject, question) if part)
        return [whole] if whole else []
    return unique


def _short(text: str, chars: int = 24) -> str:
    return text if len(text) <= chars else text[:chars] + "…"


# --- parts -------------------------------------------------------------------------------------------


def relevance(question: str, said: str, subject: str = "") -> Part:
    """Whether the reply's substance is about the question, the higher of two measures:

    - words: the question's key words found in the reply and the reply's key words found in the
      question (a reply in its own terms, 电能表 for 电表, still shares some), the mean of the two
      directions over ``RELEVANCE_FULL_AT``;
    - characters: the cosine of the two texts' characters weighted by rarity (``_similarity``), from
      ``SIMILARITY_FLOOR`` (what unrelated texts share) to ``SIMILARITY_FULL``; it catches a reply
      that answers in other words (环城带 for 绕城高速绿带, 建房 for 老房翻新) that share characters.
    """
    terms = key_terms(question, KEY_TERMS, subject)
    if not terms:
        return Part(None, gettext_noop("提问中没有可比对的关键词"))
    forward, found, missing = _coverage(terms, said, _bigrams(said))
    asked = f"{subject}。{subject}。{question}".lower()
    backward, shared, _ = _coverage(key_terms(said, KEY_TERMS), asked, _bigrams(asked))
    by_words = min(1.0, (forward + backward) / 2 / RELEVANCE_FULL_AT)
    similarity = _similarity(_character_vector(asked), _character_vector(said))
    by_characters = min(1.0, max(0.0, (similarity - SIMILARITY_FLOOR) / (SIMILARITY_FULL - SIMILARITY_FLOOR)))
    params = {
        "found": "、".join(found[:6]) or "—",
        "missing": "、".join(missing[:6]) or "—",
        "shared": "、".join(shared[:6]) or "—",
        "similarity": round(similarity, 2),
    }
    return Part(
        max(by_words, by_characters),
        gettext_noop(
            "提问的关键词在答复中出现：%(found)s；未出现：%(missing)s。答复的关键词见于提问：%(shared)s。"
            "字面相似度 %(similarity)s"
        ),
        params,
    )


def _windows(said: str) -> list[dict[str, float]]:
    """Character vectors of the reply's sentences and of each two neighbouring ones."""
    sentences = [sentence for sentence in REPLY_SENTENCE.split(said) if HAN.search(sentence)]
    pairs = ["".join(pair) for pair in zip(sentences, sentences[1:], strict=False)]
    return [_character_vector(text) for text in [*sentences, *pairs]]


def completeness(asked: list[str], said: str, topic: dict[str, float] | None = None, is_relevant: bool = False) -> Part:
    """The share of the question's points the reply answers. A point is answered when the weighted share
    of its key words found in the reply reaches ``POINT_AT``, or when some sentence of the reply (or two
    neighbouring ones) is as alike in characters as ``POINT_SIMILAR_AT`` (货车非法闯禁区 answers 货运汽车
    满街都是 in other words).

    A plea that asks nothing in particular (希望领导尽快解决, 请求为民做主) asks for the message's
    matter to be dealt with: the ``topic`` words (the subject's) count as its own, at the mean weight
    of its words. When the reply ``is_relevant`` as a whole, a question is also answered by a reply of
    its kind (``ANSWER_KINDS``: 何时 by a time, 需要什么手续 by a procedure, 为什么 by a cause), since
    replies answer in their own words (年检 asked, 检验 answered).
    """
    bigrams = _bigrams(said)
    windows = _windows(said)
    topic = topic or {}

    def answered(point: str) -> bool:
        terms = key_terms(point, POINT_TERMS)
        if topic and REQUEST.search(point) and not INTERROGATIVE.search(point):
            mean = sum(terms.values()) / len(terms) if terms else 1.0
            terms = {**dict.fromkeys(topic, mean), **terms}
            point = " ".join([*topic, point])
        if _coverage(terms, said, bigrams)[0] >= POINT_AT:
            return True
        if is_relevant and any(ask.search(point) and answer.search(said) for ask, answer in ANSWER_KINDS):
            return True
        own = _character_vector(point)
        return any(_similarity(own, window) >= POINT_SIMILAR_AT for window in windows)

    unanswered = [point for point in asked if not answered(point)]
    answered_count = len(asked) - len(unanswered)
    params = {"points": len(asked), "answered": answered_count}
    if not unanswered:
        return Part(1.0, gettext_noop("提问有 %(points)d 个诉求点，答复都有回应"), params)
    params["unanswered"] = "；".join(_short(p) for p in unanswered[:3])
    return Part(
        answered_count / len(asked),
        gettext_noop("提问有 %(points)d 个诉求点，答复回应了 %(answered)d 个；未回应：%(unanswered)s"),
        params,
    )


def basis(said: str, question: str = "") -> Part:
    """What the reply rests on (see the module's description): each kind found adds its weight. A title
    in 《》 that repeats the question (the post's own title, 《请求查处某某木器厂》) is not a document."""
    question_bigrams = _bigrams(question)
    cited = [
        f"《{m.group(1)}》"
        for m in CITATION.finditer(said)
        if not NOT_A_DOCUMENT.search(m.group(1)) and not _echoes(m.group(1), question_bigrams)
    ]
    cited += [m.group(0) for m in ARTICLE.finditer(said)] + [m.group(0) for m in DOCUMENT_NUMBER.finditer(said)]
    rule = RULE.search(said)
    checked = CHECKED.search(said)
    facts = [m.group(0) for m in FACT.finditer(PHONE.sub("", said))]
    found = {
        "cited": "、".join(dict.fromkeys(cited[:3])),
        "rule": rule.group(0) if rule and not cited else "",
        "checked": checked.group(0) if checked else "",
        "facts": "、".join(dict.fromkeys(facts[:3])),
    }
    if not any(found.values()):
        return Part(0.0, gettext_noop("未说明依据：没有引用政策法规，也没有核实的事实"))
    return Part(
        min(1.0, sum(BASIS[kind] for kind, text in found.items() if text)),
        gettext_noop(
            "引用的文件或条款：%(cited)s；提到而未写明出处的规定：%(rule)s；核实：%(checked)s；"
            "具体日期或数字：%(facts)s"
        ),
        {kind: text or "—" for kind, text in found.items()},
    )


# --- the score ---------------------------------------------------------------------------------------


def score(
    question: str,
    reply: str,
    asked_at: datetime | date | None = None,
    replied_at: datetime | date | None = None,
    *,
    subject: str = "",
    working_days_between: Callable[[date, date], int] | None = None,
    due_working_days: int = 10,
) -> Quality:
    """Score ``reply`` to ``question`` (see the module's description).

    ``question`` is the record's text (or the assignment's); ``subject`` its title when it has one.
    ``working_days_between(a, b)`` counts the working days after ``a`` up to and including ``b``
    (the app passes the official calendar's; Mon–Fri without it).
    """
    question, reply, subject = clean(question), clean(reply), clean(subject)
    timely, days = timeliness(
        asked_at, replied_at, working_days_between=working_days_between, due_working_days=due_working_days
    )
    said = substance(reply, f"{subject}。{question}")
    asked = _points(question, subject)
    flags = []
    if len(HAN.findall(said)) < MIN_SUBSTANCE:
        flag = NO_REPLY if not reply or DATE_ONLY.fullmatch(reply) else PROCEDURAL
        flags.append(flag)
        nothing = Part(0.0, gettext_noop("答复没有实质内容（只有问候、收悉、转办等程序性文字）"))
        if flag == NO_REPLY:
            nothing = Part(0.0, gettext_noop("没有答复内容"))
        relevant = complete = grounded = nothing
    else:
        lowered = said.lower()
        relevant = relevance(question, lowered, subject)
        topic = key_terms(subject, TOPIC_TERMS) if subject else key_terms(question, TOPIC_TERMS)
        is_relevant = relevant.score is not None and relevant.score >= ANSWER_KIND_RELEVANCE
        complete = completeness(asked, lowered, topic, is_relevant)
        grounded = basis(said, f"{subject}。{question}")
        if relevant.score is not None and relevant.score < OFF_TOPIC_BELOW:
            flags.append(OFF_TOPIC)
        elif len(asked) > 1 and complete.score < 0.5:
            flags.append(INCOMPLETE)
        if not grounded.score:
            flags.append(NO_BASIS)
    if timely.score is not None and timely.score < 1:
        flags.append(LATE)
    parts = {"timeliness": timely, "relevance": relevant, "completeness": complete, "basis": grounded}
    known = {name: part.score for name, part in parts.items() if part.score is not None}
    weight = sum(WEIGHTS[name] for name in known)
    total = sum(WEIGHTS[name] * value for name, value in known.items()) / weight if weight else 0.0
    return Quality(
        total=total,
        **parts,
        flags=tuple(flags),
        is_low=total < LOW_BELOW or bool(SERIOUS.intersection(flags)),
        points=tuple(asked),
        working_days=days,
    )
