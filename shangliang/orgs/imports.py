"""Excel import of regions, platforms and members.

A file is read and checked whole before anything is written: every problem is collected with its
Excel row number and column header, and a single problem refuses the whole file. A good file is
written in one transaction through the organisation services, so the history rows name the importer.

Headers, sheet titles and example values are the file's format, not interface text: they stay
Chinese whatever language the interface shows, so a file filled in under any language imports.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from shangliang.core import jobs
from shangliang.core.dates import date_range_message, is_year_in_range
from shangliang.core.documents import sheets
from shangliang.core.errors import DomainError, ImportRejected
from shangliang.core.models import BackgroundJob
from shangliang.core.phones import normalize_mobile, validate_mobile
from shangliang.orgs import permissions, services
from shangliang.orgs.models import Member, Platform, Region, Unit
from shangliang.orgs.states import REGION_CHILD_LEVEL, MemberLevel, PlatformKind, RegionLevel

PROGRESS_EVERY = 50
MAX_ROWS = 20_000
MAX_ERRORS_KEPT = 500
CODE_RE = re.compile(r"\d{12}")
# The template's first column marks its example row, which an import skips: a template uploaded
# unchanged imported the made-up 张三 (security finding 15). Real rows leave this column empty.
EXAMPLE_HEADER = "说明"
EXAMPLE_MARK = "示例"
EXAMPLE_CELL = "示例（导入时忽略此行）"
EXAMPLE_NOTE = gettext_lazy("第2行是示例，导入时忽略。请从第3行起填写，本列留空。")


# --- vocabularies --------------------------------------------------------------------------


class Vocabulary(NamedTuple):
    known: dict[str, str]  # normalised label or short form -> stored value
    labels: list[str]  # what the template offers and errors name


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def _vocabulary(choices, aliases: dict[str, str] | None = None) -> Vocabulary:
    # Source labels, not the active language's: the file's values are Chinese whatever the interface shows.
    with translation.override(None):
        labels = {str(label): value for value, label in choices}
    return Vocabulary({_normal(text): value for text, value in {**labels, **(aliases or {})}.items()}, list(labels))


def region_levels() -> Vocabulary:
    short = {
        RegionLevel.DISTRICT: ("区", "县", "区县"),
        RegionLevel.TOWNSHIP: ("乡镇", "乡", "镇", "街道"),
        RegionLevel.VILLAGE: ("村", "社区"),
        RegionLevel.GRID: ("网格", "小组", "楼栋"),
    }
    return _vocabulary(RegionLevel.choices, {text: level for level, texts in short.items() for text in texts})


def platform_kinds() -> Vocabulary:
    return _vocabulary(PlatformKind.choices)


def member_levels() -> Vocabulary:
    short = {"省": MemberLevel.PROVINCE, "市": MemberLevel.CITY, "区县": MemberLevel.COUNTY}
    return _vocabulary(MemberLevel.choices, short | {"区": MemberLevel.COUNTY, "县": MemberLevel.COUNTY})


def genders() -> Vocabulary:
    return _vocabulary(Member._meta.get_field("gender").choices)


# --- file format ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    example: object = ""
    required: bool = False
    max_length: int | None = None
    note: str = ""
    vocabulary: Callable[[], Vocabulary] | None = None
    width: int = 16

    @property
    def title(self) -> str:
        return f"{self.header}*" if self.required else self.header


@dataclass(frozen=True)
class ImportKind:
    slug: str
    label: str
    sheet_title: str
    columns: tuple[Column, ...]
    check: Callable
    write: Callable

    @property
    def job_kind(self) -> str:
        return f"import_{self.slug}"


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores every number as a float; codes and phones are integers
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def template_bytes(kind: ImportKind) -> bytes:
    """An .xlsx with the header row, one marked example row, notes on the headers and drop-downs for fixed values."""
    book = Workbook()
    sheet = book.active
    sheet.title = kind.sheet_title
    columns = (Column(EXAMPLE_HEADER, EXAMPLE_CELL, note=EXAMPLE_NOTE, width=22), *kind.columns)
    sheet.append(sheets.safe_row(column.title for column in columns))
    sheet.append(sheets.safe_row(column.example for column in columns))
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        # Text format keeps a 12-digit code or a phone number from turning into 1.10101E+11.
        sheet.column_dimensions[letter].number_format = "@"
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True, color="B8222C" if column.required else None)
        if column.note:
            header.comment = Comment(str(column.note), "商量")
        sheet.cell(row=2, column=index).font = Font(color="808080", italic=True)
        if column.vocabulary:
            # A drop-down that still accepts the short forms typed by hand.
            options = DataValidation(
                type="list", formula1=f'"{",".join(column.vocabulary().labels)}"', showErrorMessage=False
            )
            options.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(options)
    sheet.freeze_panes = "A2"
    return sheets.workbook_bytes(book)


# --- reading -------------------------------------------------------------------------------


class Row:
    """One data row of the sheet; its problems go to the shared list under its Excel row number."""

    def __init__(self, number: int, cells: dict, columns: dict[str, Column], problems: list):
        self.number, self.cells, self.columns, self.problems = number, cells, columns, problems

    def error(self, header: str, message) -> None:
        self.problems.append({"row": self.number, "column": header, "message": str(message)})

    def text(self, header: str) -> str:
        value, column = _as_text(self.cells.get(header)), self.columns[header]
        if not value and column.required:
            self.error(header, _("必填，不能为空。"))
        elif column.max_length and len(value) > column.max_length:
            self.error(header, _("不能超过%(count)d个字。") % {"count": column.max_length})
        return value

    def choice(self, header: str, vocabulary: Vocabulary) -> str:
        text = self.text(header)
        value = vocabulary.known.get(_normal(text)) if text else ""
        if value is None:
            labels = "、".join(vocabulary.labels)
            self.error(header, _("无法识别“%(value)s”，应填：%(labels)s。") % {"value": text, "labels": labels})
        return value or ""

    def date(self, header: str) -> date | None:
        value = self.cells.get(header)
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            text = self.text(header)
            if not text:
                return None
            try:
                value = datetime.strptime(re.sub(r"[/.]", "-", text), "%Y-%m-%d").date()
            except ValueError:
                self.error(header, _("日期“%(value)s”无法识别，请写成 2024-03-01 的格式。") % {"value": text})
                return None
        if not is_year_in_range(value.year):
            self.error(header, date_range_message())
            return None
        return value

    def one(self, header: str, lookup: Callable[[str], list], noun: str, hint: str = ""):
        """The single record named in the cell, or None with a problem noted."""
        text = self.text(header)
        if not text:
            return None
        found = lookup(text)
        if len(found) == 1:
            return found[0]
        message = _("有%(count)d个%(noun)s名为“%(name)s”。") + hint if found else _("找不到%(noun)s“%(name)s”。")
        self.error(header, message % {"count": len(found), "noun": noun, "name": text})
        return None


def _header(value) -> str:
    return re.sub(r"[\s*＊]", "", _as_text(value))


@contextmanager
def _first_sheet(upload):
    """The first sheet's rows as values; any error while reading them, except a refusal, refuses the file."""
    try:
        with upload.open("rb") as file:
            book = load_workbook(file, read_only=True, data_only=True)
            try:
                yield book.worksheets[0].iter_rows(values_only=True)
            finally:
                book.close()
    except ImportRejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds of error for a damaged or disguised file
        message = _("无法读取这个 Excel 文件，请用下载的模板填写后另存为 .xlsx 再上传。")
        raise ImportRejected(message, errors=[]) from exc


def _require_columns(kind: ImportKind, position: dict[str, int]) -> None:
    missing = [c.header for c in kind.columns if c.required and c.header not in position]
    if missing:
        raise ImportRejected(
            _("表头与“%(kind)s”模板不符，请使用下载的模板。") % {"kind": kind.label},
            errors=[{"row": 1, "column": name, "message": _("缺少这一列。")} for name in missing],
        )


def _read_header(values, kind: ImportKind) -> tuple[dict[str, int], int | None]:
    """Each known column's position (its first occurrence) and the example marker's; refuses missing required ones."""
    header = [_header(value) for value in values]
    known = {column.header for column in kind.columns}
    position = {name: i for i, name in reversed(list(enumerate(header))) if name in known}
    _require_columns(kind, position)
    return position, header.index(EXAMPLE_HEADER) if EXAMPLE_HEADER in header else None


def _is_example(raw: tuple, marker: int | None) -> bool:
    return marker is not None and marker < len(raw) and _as_text(raw[marker]).startswith(EXAMPLE_MARK)


def _cells(raw: tuple, position: dict[str, int]) -> dict:
    """The row's known cells, or an empty dict for a row with nothing written in them."""
    cells = {name: raw[i] for name, i in position.items() if i < len(raw)}
    return cells if any(_as_text(value) for value in cells.values()) else {}


def read_rows(upload, kind: ImportKind, problems: list, examples: list) -> list[Row]:
    """The data rows; the Excel numbers of rows marked as the example go to ``examples``, not to the rows."""
    columns = {column.header: column for column in kind.columns}
    rows = []
    with _first_sheet(upload) as values:
        position, marker = _read_header(next(values, ()), kind)
        for number, raw in enumerate(values, start=2):
            if _is_example(raw, marker):
                examples.append(number)
            elif cells := _cells(raw, position):
                rows.append(Row(number, cells, columns, problems))
            if len(rows) > MAX_ROWS:
                raise ImportRejected(_("一次最多导入%(count)d行，请分成几个文件。") % {"count": MAX_ROWS}, errors=[])
    if not rows:
        empty = _("文件中没有可导入的数据（示例行已忽略）。") if examples else _("文件中没有数据行。")
        raise ImportRejected(empty, errors=[])
    return rows


# --- progress ------------------------------------------------------------------------------


def _progress_key(job_pk: int) -> str:
    return f"import-progress:{job_pk}"


class Progress:
    """Checking is the first half of the job, writing the second.

    Checking runs outside any transaction, so its progress goes straight to the job row. Writing runs
    inside the import's single transaction, where an UPDATE of the job row stays invisible to the
    polling page until the commit (PostgreSQL; SQLite readers under WAL see the last commit too), so
    the writing half is published in the cache instead and ``job_done`` reads it. With the default
    per-process cache this needs the poll to reach the process running the job, which holds for the
    thread runner; where it does not, the bar waits at half until the commit.
    """

    def __init__(self, job: BackgroundJob, rows: int):
        self.job, self.rows, self.total = job, rows, 2 * rows
        jobs.job_progress(job, done=0, total=self.total)

    def checked(self, i: int) -> None:
        if i % PROGRESS_EVERY == 0 or i == self.rows:
            jobs.job_progress(self.job, done=i)

    def written(self, i: int) -> None:
        if i % PROGRESS_EVERY == 0:
            cache.set(_progress_key(self.job.pk), self.rows + i, timeout=600)

    def finish(self) -> None:
        cache.delete(_progress_key(self.job.pk))
        jobs.job_progress(self.job, done=self.total)


def job_done(job: BackgroundJob) -> int:
    """How many steps the job has done, counting the writing steps only the cache knows before the commit."""
    return max(job.done, cache.get(_progress_key(job.pk)) or 0)


# --- checking and writing ------------------------------------------------------------------


@contextmanager
def _written_as(row: int):
    """A rule only the database can check (or a change made meanwhile) still refuses the whole file."""
    try:
        yield
    except (ValidationError, DomainError) as exc:
        message = exc.message if isinstance(exc, DomainError) else "；".join(exc.messages)
        raise ImportRejected(
            _("第%(row)d行无法写入。") % {"row": row}, errors=[{"row": row, "column": "", "message": str(message)}]
        ) from exc


class _Regions:
    """Every region, read once, so references resolve in memory instead of with a query per row."""

    def __init__(self):
        self.by_code, self.by_name, self.child_names = {}, defaultdict(list), set()
        for region in Region.objects.only("name", "level", "code", "path", "parent_id", "is_archived"):
            self.child_names.add((region.parent_id, region.name))
            if region.code:
                self.by_code[region.code] = region
            if not region.is_archived:
                self.by_name[region.name].append(region)

    def matching(self, ref: str) -> list[Region]:
        if CODE_RE.fullmatch(ref):
            region = self.by_code.get(ref)
            return [region] if region and not region.is_archived else []
        return self.by_name.get(ref, [])

    def find(self, row: Row, header: str) -> Region | None:
        return row.one(header, self.matching, _("区划"), _("请改填统计用区划代码。"))


def _named(queryset) -> Callable[[str], list]:
    found = defaultdict(list)
    for obj in queryset:
        found[obj.name].append(obj)
    return lambda name: found.get(name, [])


def _out_of_scope(row: Row, header: str, region: Region) -> None:
    row.error(header, _("“%(name)s”不在您的管理范围内。") % {"name": region.name})


@dataclass
class NewRegion:
    row: int
    name: str
    level: str
    code: str | None
    parent: "Region | NewRegion | None"
    region: Region | None = None


def _first_rows(rows: list[Row]) -> dict[str, int]:
    """Every name and code in the file with the row it first appears on, to explain a parent listed below its child."""
    first_row = {}
    for row in rows:
        for header in ("名称", "统计用区划代码"):
            first_row.setdefault(_as_text(row.cells.get(header)), row.number)
    return first_row


def _check_top_level(user, row: Row, level: str) -> None:
    if level and level != RegionLevel.DISTRICT:
        row.error("上级", _("请填写上级；只有区/县可以不填上级。"))
    elif level and not user.is_superuser:
        row.error("上级", _("只有系统管理员可以导入没有上级的区/县。"))


def _check_child_level(row: Row, parent: Region | NewRegion, level: str) -> None:
    expected = REGION_CHILD_LEVEL.get(parent.level)
    if expected is None:
        row.error("上级", _("网格/小组/楼栋下不能再设下级区划。"))
    elif level and level != expected:
        message = _("上级“%(parent)s”的下级应为“%(level)s”。")
        row.error("层级", message % {"parent": parent.name, "level": RegionLevel(expected).label})


class _RegionCheck:
    """One pass over a regions file: what the file has named so far, and which names and codes it has taken."""

    def __init__(self, user, rows: list[Row]):
        self.user, self.existing, self.levels = user, _Regions(), region_levels()
        self.first_row = _first_rows(rows)
        self.earlier = defaultdict(list)  # name or code -> the file's rows that carry it, so far
        self.names_seen, self.codes_seen = {}, {}

    def plan(self, row: Row) -> NewRegion:
        name, level = row.text("名称"), row.choice("层级", self.levels)
        code, ref = row.text("统计用区划代码"), row.text("上级")
        parent = self.find_parent(row, ref) if ref else None
        self.check_parent(row, ref, parent, level)
        code = self.check_code(row, code) if code else None
        if name and (parent or not ref):
            self.check_name(row, name, parent)
        new = NewRegion(row.number, name, level, code, parent)
        for key in (name, code):
            if key:
                self.earlier[key].append(new)
        return new

    def find_parent(self, row: Row, ref: str) -> Region | NewRegion | None:
        """The one region, earlier in the file or existing, that ``ref`` names; None with a problem noted."""
        found = self.earlier.get(ref, []) + self.existing.matching(ref)
        facts = {"count": len(found), "name": ref, "row": self.first_row.get(ref, 0)}
        if len(found) == 1:
            return found[0]
        if found:
            message = _("有%(count)d个区划名为“%(name)s”，请改填上级的统计用区划代码。")
        elif facts["row"] > row.number:
            message = _("上级“%(name)s”在第%(row)d行，须放在本行之前。")
        else:
            message = _("找不到上级区划“%(name)s”。")
        row.error("上级", message % facts)
        return None

    def check_parent(self, row: Row, ref: str, parent, level: str) -> None:
        if not ref:
            _check_top_level(self.user, row, level)
        elif isinstance(parent, Region) and not permissions.region_in_import_scope(self.user, parent):
            _out_of_scope(row, "上级", parent)
        elif parent and parent.level:
            _check_child_level(row, parent, level)

    def check_code(self, row: Row, code: str) -> str | None:
        """The code when the row may take it, else None with a problem noted."""
        if not CODE_RE.fullmatch(code):
            row.error("统计用区划代码", _("应为12位数字。"))
        elif code in self.codes_seen:
            row.error("统计用区划代码", _("与第%(row)d行重复。") % {"row": self.codes_seen[code]})
        elif code in self.existing.by_code:
            row.error("统计用区划代码", _("已被现有区划“%(name)s”使用。") % {"name": self.existing.by_code[code].name})
        else:
            self.codes_seen[code] = row.number
            return code
        return None

    def check_name(self, row: Row, name: str, parent) -> None:
        in_file = isinstance(parent, NewRegion)
        key = (in_file, parent.row if in_file else getattr(parent, "pk", None), name)
        if key in self.names_seen:
            row.error("名称", _("与第%(row)d行重复：同一上级下不能有同名区划。") % {"row": self.names_seen[key]})
        elif not in_file and key[1:] in self.existing.child_names:
            where = parent.name if parent else _("最上级")
            row.error("名称", _("“%(parent)s”下已有名为“%(name)s”的区划。") % {"parent": where, "name": name})
        self.names_seen[key] = row.number


def check_regions(user, rows: list[Row], progress: Progress) -> list[NewRegion]:
    check, plan = _RegionCheck(user, rows), []
    for i, row in enumerate(rows, start=1):
        plan.append(check.plan(row))
        progress.checked(i)
    return plan


def write_regions(actor, plan: list[NewRegion], progress: Progress) -> int:
    for i, new in enumerate(plan, start=1):
        parent = new.parent.region if isinstance(new.parent, NewRegion) else new.parent
        with _written_as(new.row):
            new.region = services.region_create(
                actor=actor, name=new.name, level=new.level, parent=parent, code=new.code
            )
        progress.written(i)
    return len(plan)


@dataclass
class NewRecord:
    """A platform or member to create: its model fields, plus what the write phase resolves or adds."""

    row: int
    fields: dict
    sector: str = ""
    platform: Platform | None = None


def check_platforms(user, rows: list[Row], progress: Progress) -> list[NewRecord]:
    regions, kinds = _Regions(), platform_kinds()
    units = _named(Unit.objects.filter(is_archived=False).only("name"))
    taken, seen, plan = set(Platform.objects.values_list("region_id", "name")), {}, []
    for i, row in enumerate(rows, start=1):
        name, kind, brand = row.text("名称"), row.choice("类型", kinds), row.text("品牌")
        region = regions.find(row, "所在区划")
        if region and not permissions.region_in_import_scope(user, region):
            _out_of_scope(row, "所在区划", region)
        elif region and region.level == RegionLevel.GRID:
            row.error("所在区划", _("网格/小组/楼栋不能设协商议事平台，请填写村（社区）或乡镇（街道）。"))
        fields = {"name": name, "kind": kind, "brand": brand or "有事好商量", "region": region}
        fields |= {"address": row.text("地址"), "host_unit": row.one("主办单位", units, _("单位"))}
        fields["active_since"] = row.date("启用日期")
        if name and region:
            if (region.pk, name) in taken:
                row.error("名称", _("“%(region)s”已有同名平台。") % {"region": region.name})
            elif (region.pk, name) in seen:
                row.error("名称", _("与第%(row)d行重复。") % {"row": seen[region.pk, name]})
            seen[region.pk, name] = row.number
        plan.append(NewRecord(row.number, fields, sector=row.text("界别")))
        progress.checked(i)
    return plan


def _sectors(actor) -> Callable[[str], object]:
    known = {}

    def sector(name: str):
        if name and name not in known:
            known[name] = services.sector_get_or_create(actor=actor, name=name)
        return known.get(name)

    return sector


def write_platforms(actor, plan: list[NewRecord], progress: Progress) -> int:
    sector = _sectors(actor)
    for i, new in enumerate(plan, start=1):
        with _written_as(new.row):
            services.platform_create(actor=actor, sector=sector(new.sector), **new.fields)
        progress.written(i)
    return len(plan)


def check_members(user, rows: list[Row], progress: Progress) -> list[NewRecord]:
    regions, levels, sexes = _Regions(), member_levels(), genders()
    platforms = _named(Platform.objects.filter(is_archived=False).select_related("region"))
    plan = []
    for i, row in enumerate(rows, start=1):
        fields = {"name": row.text("姓名"), "gender": row.choice("性别", sexes)}
        fields["level"], sector = row.choice("委员层级", levels), row.text("界别")
        fields |= {"specialty": row.text("专长"), "workplace": row.text("工作单位及职务")}
        fields["mobile"] = normalize_mobile(row.text("手机号"))
        if fields["mobile"]:
            try:
                validate_mobile(fields["mobile"])
            except ValidationError as exc:
                row.error("手机号", exc.messages[0])
        fields["home_region"] = home = regions.find(row, "居住地")
        if home and not permissions.region_in_import_scope(user, home):
            _out_of_scope(row, "居住地", home)
        platform = row.one("联系站点", platforms, _("平台"))
        if platform and not permissions.region_in_import_scope(user, platform.region):
            _out_of_scope(row, "联系站点", platform)
        plan.append(NewRecord(row.number, fields, sector=sector, platform=platform))
        progress.checked(i)
    return plan


def write_members(actor, plan: list[NewRecord], progress: Progress) -> int:
    sector, today = _sectors(actor), timezone.localdate()
    for i, new in enumerate(plan, start=1):
        with _written_as(new.row):
            member = services.member_create(actor=actor, sector=sector(new.sector), **new.fields)
            if new.platform:
                services.member_assign(actor=actor, member=member, platform=new.platform, started_on=today)
        progress.written(i)
    return len(plan)


# --- the three kinds and their jobs --------------------------------------------------------

_LEVEL_NOTE = gettext_lazy("可填：区/县、乡镇/街道、村/社区、网格/小组/楼栋，也可简写为区、乡镇、村、社区、网格。")
_PARENT_NOTE = gettext_lazy("上级的12位统计用区划代码或名称。上级可以是已有区划，也可以是本表中靠前的一行。")
_REGION_NOTE = gettext_lazy("12位统计用区划代码，或区划名称（名称须唯一）。")
_STATION_NOTE = gettext_lazy("已有平台的名称；填写后委员下沉到该站点。")

KINDS = {
    kind.slug: kind
    for kind in (
        ImportKind(
            slug="regions",
            label=gettext_lazy("行政区划"),
            sheet_title="行政区划",
            columns=(
                Column("名称", "幸福社区", required=True, max_length=100),
                Column("层级", "村/社区", required=True, note=_LEVEL_NOTE, vocabulary=region_levels),
                Column("统计用区划代码", "110101001001", note=gettext_lazy("12位数字，可不填。")),
                Column("上级", "和平街道", note=_PARENT_NOTE),
            ),
            check=check_regions,
            write=write_regions,
        ),
        ImportKind(
            slug="platforms",
            label=gettext_lazy("协商议事平台"),
            sheet_title="协商议事平台",
            columns=(
                Column("名称", "幸福社区协商议事室", required=True, max_length=100, width=24),
                Column("类型", "村（社区）协商议事室", required=True, vocabulary=platform_kinds, width=24),
                Column("品牌", "有事好商量", max_length=50, note=gettext_lazy("不填则为“有事好商量”。")),
                Column("所在区划", "幸福社区", required=True, note=_REGION_NOTE),
                Column("地址", "幸福路1号", max_length=200, width=24),
                Column("主办单位", "幸福社区居委会", note=gettext_lazy("已有单位的名称，可不填。")),
                Column("界别", "", max_length=50, note=gettext_lazy("界别协商议事室填写；新界别会自动添加。")),
                Column("启用日期", "2024-03-01", note=gettext_lazy("日期，如 2024-03-01。")),
            ),
            check=check_platforms,
            write=write_platforms,
        ),
        ImportKind(
            slug="members",
            label=gettext_lazy("政协委员"),
            sheet_title="政协委员",
            columns=(
                Column("姓名", "张三", required=True, max_length=50),
                Column("性别", "男", vocabulary=genders, width=8),
                Column("委员层级", "区（县）政协委员", required=True, vocabulary=member_levels, width=20),
                Column("界别", "经济界", required=True, max_length=50, note=gettext_lazy("新界别会自动添加。")),
                Column("专长", "乡村振兴", max_length=100),
                Column("工作单位及职务", "幸福食品公司 总经理", max_length=150, width=24),
                Column("手机号", "13800000000", note=gettext_lazy("11位手机号码，可不填。")),
                Column("居住地", "幸福社区", note=_REGION_NOTE),
                Column("联系站点", "幸福社区协商议事室", width=24, note=_STATION_NOTE),
            ),
            check=check_members,
            write=write_members,
        ),
    )
}


def run_import(job: BackgroundJob, kind: ImportKind) -> dict:
    problems, examples = [], []
    rows = read_rows(job.upload, kind, problems, examples)
    progress = Progress(job, len(rows))
    plan = kind.check(job.created_by, rows, progress)
    if problems:
        problems.sort(key=lambda problem: problem["row"])
        message = _("文件有%(count)d处问题。") % {"count": len(problems)}
        if len(problems) > MAX_ERRORS_KEPT:
            message += _("下表列出前%(count)d处。") % {"count": MAX_ERRORS_KEPT}
        raise ImportRejected(message, errors=problems[:MAX_ERRORS_KEPT])
    with transaction.atomic():
        created = kind.write(job.created_by, plan, progress)
    progress.finish()
    return {"created": created, "examples_skipped": examples} if examples else {"created": created}


@jobs.register("import_regions")
def run_regions_import(job):
    return run_import(job, KINDS["regions"])


@jobs.register("import_platforms")
def run_platforms_import(job):
    return run_import(job, KINDS["platforms"])


@jobs.register("import_members")
def run_members_import(job):
    return run_import(job, KINDS["members"])


# --- reads for the pages -------------------------------------------------------------------


def _import_jobs():
    return BackgroundJob.objects.filter(kind__in=[kind.job_kind for kind in KINDS.values()])


def kind_of(job: BackgroundJob) -> ImportKind:
    return KINDS[job.kind.removeprefix("import_")]


def recent_jobs_for(user, limit: int = 10) -> list[BackgroundJob]:
    return list(_import_jobs().filter(created_by=user)[:limit])


def get_job_for_view(user, pk) -> BackgroundJob:
    """The user's own import job (any, for a superuser); 404 for missing and for someone else's."""
    queryset = _import_jobs() if user.is_superuser else _import_jobs().filter(created_by=user)
    return get_object_or_404(queryset, pk=pk)
