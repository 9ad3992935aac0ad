"""Importing hotline work orders, messages and grid reports from CSV or Excel exports.

Unlike the organisation import (all or nothing), one bad row never blocks the others: rows are read,
checked and written in batches of ``BATCH`` in their own transactions, each bad row is listed with its
row number, column and reason, and the good rows are written. Importing the same 工单编号 of a source
again updates that record (idempotent): nothing is duplicated, and a row that did not change is not
written. Progress goes to the job row after each batch, so the page's bar moves.

The source's column mapping (``Source.mapping``: field → column heading) says where each field is; a
mapping is guessed from the headings the common exports use (``HEADING_GUESSES``) and saved per source.
"""

import csv
import hashlib
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shangliang.core import jobs
from shangliang.core.errors import DomainError
from shangliang.core.models import BackgroundJob
from shangliang.core.text import mask_numbers, normalise
from shangliang.hotline.states import FIELDS, REQUIRED_FIELDS

BATCH = 500
MAX_ROWS = 1_000_000
MAX_ERRORS_KEPT = 500
PREVIEW_ROWS = 10
FIELD_LENGTHS = {"external_id": 64, "title": 200, "place": 200, "reporter": 50, "phone": 30, "unit": 100}
FIELD_LENGTHS["category"] = 60

# Headings of the common exports (12345 systems, message boards, grid platforms) for each field.
HEADING_GUESSES = {
    "external_id": ("工单编号", "工单号", "留言编号", "事件编号", "编号", "受理编号"),
    "received_at": ("受理时间", "来电时间", "留言时间", "上报时间", "登记时间", "创建时间", "时间"),
    "text": ("诉求内容", "来电内容", "留言详情", "事件描述", "问题描述", "内容", "详情"),
    "title": ("标题", "留言主题", "诉求标题", "事件标题", "主题"),
    "place": ("事发地址", "事发地点", "地址", "发生地点", "位置"),
    "reporter": ("诉求人", "来电人", "姓名", "上报人", "联系人"),
    "phone": ("联系电话", "来电号码", "电话", "手机号码", "手机"),
    "person": ("留言用户", "用户", "用户标识"),
    "category": ("一级标签", "诉求分类", "业务分类", "事件类型", "分类", "类别"),
    "likes": ("点赞数", "点赞"),
    "dislikes": ("反对数", "反对"),
    "unit": ("承办单位", "办理单位", "答复单位", "处置部门"),
    "reply": ("答复意见", "答复内容", "办理结果", "处置结果", "回复"),
    "replied_at": ("答复时间", "办结时间", "回复时间", "处置时间"),
}
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


class FileRefused(DomainError):
    """The file as a whole cannot be read (not the rows in it)."""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps 工单编号 360100 as 360100.0
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 Excel 文件。"), field="file")


def read_table(name: str, data: bytes) -> tuple[list[str], Iterator[list]]:
    """The headings and the data rows of a CSV or the first sheet of an .xlsx file."""
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = book.worksheets[0].iter_rows(values_only=True)
            header = [_cell_text(v) for v in next(rows, ())]
        except Exception as exc:  # openpyxl raises many kinds of error for a damaged or disguised file
            raise FileRefused(_("无法读取这个 Excel 文件，请另存为 .xlsx 后再上传。"), field="file") from exc
        return header, (list(r) for r in rows)
    reader = csv.reader(io.StringIO(_decode(data).replace("\x00", "")))
    header = [_cell_text(v) for v in next(reader, [])]
    return header, reader


def guess_mapping(header: list[str]) -> dict[str, str]:
    """Field → the first heading of ``header`` that the common exports use for it."""
    present = {h: h for h in header if h}
    mapping = {}
    for name, guesses in HEADING_GUESSES.items():
        for guess in guesses:
            if guess in present and guess not in mapping.values():
                mapping[name] = guess
                break
    return mapping


def check_mapping(mapping: dict[str, str], header: list[str]) -> list[str]:
    """What is wrong with ``mapping`` for this file's headings, in words (empty when it can be used)."""
    problems = []
    for name in REQUIRED_FIELDS:
        if not mapping.get(name):
            problems.append(_("请指定“%(field)s”对应的列。") % {"field": FIELDS[name]})
    for name, heading in mapping.items():
        if heading and heading not in header:
            missing = {"heading": heading, "field": FIELDS[name]}
            problems.append(_("文件中没有“%(heading)s”这一列（%(field)s）。") % missing)
    return problems


def parse_time(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    moment = None
    for fmt in DATE_FORMATS:
        try:
            moment = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    if moment is None:
        try:
            moment = parse_datetime(text.replace("/", "-"))
        except ValueError:
            moment = None
    if moment is None or not 2000 <= moment.year <= 2100:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def person_key(phone: str, person: str) -> str:
    """A stable key of the person, to count distinct people without keeping who they are in the key."""
    who = person.strip() or "".join(ch for ch in phone if ch.isdigit() or ch == "*")
    return hashlib.sha256(who.encode()).hexdigest()[:32] if who else ""


@dataclass
class Parsed:
    """One good row, as the record's fields."""

    number: int
    fields: dict


@dataclass
class Outcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: int = 0
    errors: list = field(default_factory=list)

    def refuse(self, number: int, heading: str, message: str) -> None:
        self.bad += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"row": number, "column": heading, "message": str(message)})

    def as_result(self) -> dict:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad": self.bad,
            "errors": self.errors,
        }


def _count(text: str) -> int | None:
    text = text.replace(",", "")
    if not text:
        return 0
    try:
        value = int(float(text))
    except ValueError:
        return None
    return value if 0 <= value < 10**9 else None


def parse_row(number: int, cells: dict[str, str], mapping: dict[str, str], outcome: Outcome) -> Parsed | None:
    """The row's fields, or None with its problems listed in ``outcome`` (row number, column, reason)."""
    bad = False

    def refuse(name, message):
        nonlocal bad
        bad = True
        outcome.refuse(number, mapping.get(name, FIELDS[name]), message)

    for name in REQUIRED_FIELDS:
        if not cells.get(name):
            refuse(name, _("必填，不能为空。"))
    for name, length in FIELD_LENGTHS.items():
        if len(cells.get(name, "")) > length:
            refuse(name, _("超过%(n)d个字。") % {"n": length})
    received = parse_time(cells.get("received_at", "")) if cells.get("received_at") else None
    if cells.get("received_at") and received is None:
        refuse("received_at", _("无法识别的时间，应为 2025-09-26 10:30 这样的格式。"))
    replied = parse_time(cells.get("replied_at", ""))
    if cells.get("replied_at") and replied is None:
        refuse("replied_at", _("无法识别的时间，应为 2025-09-26 10:30 这样的格式。"))
    counts = {}
    for name in ("likes", "dislikes"):
        counts[name] = _count(cells.get(name, ""))
        if counts[name] is None:
            refuse(name, _("应为不小于0的整数。"))
    text = normalise(cells.get("text", ""))
    if cells.get("text") and not text:
        refuse("text", _("内容只有空白或控制字符。"))
    if bad:
        return None
    return Parsed(
        number,
        {
            "external_id": normalise(cells["external_id"])[:64],
            "received_at": received,
            "title": normalise(cells.get("title", ""))[:200],
            "text": text[:5000],
            "place_text": normalise(cells.get("place", ""))[:200],
            "reporter_name": normalise(cells.get("reporter", ""))[:50],
            # The number to call back is kept whole (pages mask it; only the callers see it).
            "reporter_phone": unicodedata.normalize("NFKC", cells.get("phone", "")).strip()[:30],
            "person_key": person_key(cells.get("phone", ""), cells.get("person", "")),
            "likes": counts["likes"],
            "dislikes": counts["dislikes"],
            "source_category": normalise(cells.get("category", ""))[:60],
            "reply_unit": normalise(cells.get("unit", ""))[:100],
            "reply_text": mask_numbers(normalise(cells.get("reply", "")))[:5000],
            "replied_at": replied,
            "original": dict(cells.get("_original", {})),
        },
    )


def mapped_rows(header: list[str], rows, mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number as a spreadsheet shows it, {field: cell text, "_original": {heading: text}}) of each
    non-empty row."""
    position = {h: i for i, h in reversed(list(enumerate(header))) if h}
    columns = {name: position[heading] for name, heading in mapping.items() if heading in position}
    for number, raw in enumerate(rows, start=2):
        texts = [_cell_text(v).replace("\x00", "") for v in raw]
        if not any(texts):
            continue
        cells = {name: texts[i] if i < len(texts) else "" for name, i in columns.items()}
        cells["_original"] = {h: texts[i] for h, i in position.items() if i < len(texts) and texts[i]}
        yield number, cells


def run_import(job: BackgroundJob, source, data: bytes, name: str, write_batch, after) -> dict:
    """Read the file with the source's mapping and hand each batch of good rows to ``write_batch(source,
    parsed, outcome, job)``, which writes them in one transaction and returns the records it made; then
    ``after(source, records)`` (the grouping into hot issues); return the job's result."""
    header, rows = read_table(name, data)
    mapping = source.mapping or guess_mapping(header)
    if problems := check_mapping(mapping, header):
        raise FileRefused(" ".join(problems), field="file")
    rows = list(rows)  # the file is at most 50 MB: counting its rows first gives the bar its end
    if len(rows) > MAX_ROWS:
        raise FileRefused(_("一次最多导入%(count)d行，请分成几个文件。") % {"count": MAX_ROWS}, field="file")
    jobs.job_progress(job, done=0, total=len(rows))
    outcome = Outcome()
    batch: list[Parsed] = []
    seen: dict[str, int] = {}
    created = []

    def flush():
        with transaction.atomic():
            created.extend(write_batch(source, batch, outcome, job))
        jobs.job_progress(job, done=outcome.total)
        batch.clear()

    for number, cells in mapped_rows(header, rows, mapping):
        outcome.total += 1
        parsed = parse_row(number, cells, mapping, outcome)
        if parsed is None:
            continue
        key = parsed.fields["external_id"]
        if key in seen:
            outcome.refuse(number, mapping["external_id"], _("与第%(row)d行的工单编号重复。") % {"row": seen[key]})
            continue
        seen[key] = number
        batch.append(parsed)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    # New records join the hot issues once, for the whole file (one grouping run, not one per batch).
    result = outcome.as_result()
    result["issues"] = len(after(source, created))
    jobs.job_progress(job, done=len(rows), total=len(rows))
    return result
