"""``manage.py seed_demo``: build the demo district 云溪区 with one account per role, its topics and consultations."""

import time
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from shangliang.consultations.states import ConsultationStatus
from shangliang.core.errors import DomainError
from shangliang.demo.around import build_demo_around
from shangliang.demo.cases import build_demo_cases
from shangliang.demo.consultations import build_demo_consultations
from shangliang.demo.district import (
    DEMO_PASSWORD,
    DISTRICT_CODE,
    DISTRICT_NAME,
    build_demo_district,
    demo_accounts,
    liaison_accounts,
)
from shangliang.demo.evaluation import build_demo_evaluation
from shangliang.demo.outcomes import build_demo_outcomes
from shangliang.demo.safeguards import build_demo_safeguards
from shangliang.demo.scoring import build_demo_scoring
from shangliang.demo.topics import build_demo_topics
from shangliang.orgs.states import UnitKind
from shangliang.topics.states import SubmissionStatus, TopicStatus

COUNT_LABELS = (
    ("townships", "乡镇（街道）"),
    ("villages", "村（社区）"),
    ("grids", "网格/小组/楼栋"),
    ("units", "单位"),
    ("sectors", "界别"),
    ("platforms", "协商议事平台"),
    ("township_room", "  乡镇（街道）协商议事室"),
    ("village_room", "  村（社区）协商议事室"),
    ("company_room", "  企业/园区协商议事室"),
    ("member_studio", "  委员工作室"),
    ("sector_room", "  界别协商议事室"),
    ("villages_covered", "已覆盖的村（社区）"),
    ("committees", "协商委员会"),
    ("committee_seats", "协商委员会成员"),
    ("members_city", "市政协委员"),
    ("members_county", "区政协委员"),
    ("assignments", "委员下沉"),
    ("contact_links", "专委会联系点"),
    ("accounts", "演示账号"),
    ("submissions", "诉求与建议"),
    *((f"submissions_{value}", f"  {label}") for value, label in SubmissionStatus.choices),
    ("topics", "议题"),
    *((f"topics_{value}", f"  {label}") for value, label in TopicStatus.choices),
    ("consultations", "协商"),
    *((f"consultations_{value}", f"  {label}") for value, label in ConsultationStatus.choices),
    ("participants", "参与人员"),
    ("statements", "发言记录"),
    ("online_posts", "网上意见"),
    ("suggestions", "协商建议"),
    ("dissents", "不同意见"),
    ("assembly_votes", "会议表决"),
    ("legal_reviews", "合法性审查"),
    ("corrected_items", "  依法纠正的建议"),
    ("not_adopted", "不予采纳的建议"),
    ("deferred", "暂缓采纳的建议"),
    ("approval_routes", "议题审定规则"),
    ("escalations", "提请乡镇协商的村级议题"),
    ("targets", "年度目标任务"),
    ("inspections", "专委会督导记录"),
    ("typical_cases", "典型案例"),
)


def refresh_statistics() -> None:
    """Let PostgreSQL's planner see the rows written so far in this transaction.

    The whole seed is one transaction, so autovacuum never analyses the new rows; without this the
    planner believes the tables are empty and picks plans that take minutes on the later phases.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# The phases of the seed, each announced with its time: district, topics, consultations, outcomes,
# evaluation, typical cases, scoring, the district's rules.
PHASES = 9


class Command(BaseCommand):
    help = (
        "生成演示数据：虚构的云溪区（9 个乡镇街道、92 个村社区、105 个平台、185 名委员）、各角色的演示账号，"
        "以及近三年的诉求、议题和协商。"
    )

    def handle(self, *args, **options):
        verbose = options["verbosity"] >= 1
        stdout = self.stdout if options["verbosity"] >= 2 else None
        self.verbosity = options["verbosity"]
        started = time.perf_counter()
        try:
            # Topics need the district and consultations the topics; a failure in any leaves nothing behind.
            with transaction.atomic():
                with self.phase(1, "区划、平台与演示账号"):
                    counts = build_demo_district(stdout=stdout)
                if counts:
                    refresh_statistics()
                    with self.phase(2, "诉求与议题（近三年）"):
                        counts |= build_demo_topics(stdout=stdout).counts
                    refresh_statistics()
                    with self.phase(3, "协商"):
                        counts |= build_demo_consultations(stdout=stdout)
                    refresh_statistics()
                    with self.phase(4, "成果报送、交办与落实"):
                        counts |= build_demo_outcomes(stdout=stdout)
                    refresh_statistics()
                    with self.phase(5, "群众评议、回访与第三方评估"):
                        counts |= build_demo_evaluation(stdout=stdout)
                    with self.phase(6, "典型案例"):
                        counts |= build_demo_cases(stdout=stdout)
                    with self.phase(7, "考核目标与专委会督导"):
                        counts |= build_demo_scoring(stdout=stdout)
                    with self.phase(8, "协商程序规则、议题审定规则与镇村联动"):
                        counts |= build_demo_safeguards(stdout=stdout)
                    with self.phase(9, "委员接待、宣讲培训、宣传、协商资金与转交"):
                        counts |= build_demo_around(stdout=stdout)
        except DomainError as error:
            raise CommandError(error.message) from error
        elapsed = time.perf_counter() - started

        if not counts:
            if verbose:
                self.stdout.write(f"演示区 {DISTRICT_NAME}（{DISTRICT_CODE}）已存在，未做任何修改。")
                self.print_accounts()
            return
        if verbose:
            done = f"已生成演示区 {DISTRICT_NAME}（{DISTRICT_CODE}），用时 {elapsed:.1f} 秒。"
            self.stdout.write(self.style.SUCCESS(done))
            for key, label in COUNT_LABELS:
                self.stdout.write(f"  {label}：{counts[key]}")
            self.print_accounts()

    @contextmanager
    def phase(self, number: int, label: str):
        """Say which phase runs and, when it ends, how long it took: "[3/7] 协商 … 21.4 秒"."""
        if self.verbosity < 1:
            yield
            return
        # One line per phase; at verbosity 2 the phase's own messages come between its name and its time.
        self.stdout.write(f"[{number}/{PHASES}] {label} …", ending="\n" if self.verbosity >= 2 else "")
        self.stdout.flush()
        started = time.perf_counter()
        try:
            yield
        except BaseException:
            self.stdout.write("")  # end the line before the error is shown
            raise
        elapsed = f"{time.perf_counter() - started:.1f} 秒"
        self.stdout.write(f"      {elapsed}" if self.verbosity >= 2 else f" {elapsed}")

    def print_accounts(self):
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, scope in demo_accounts():
            self.stdout.write(f"  {username:<15}{full_name}　{scope}")
        liaisons = liaison_accounts()
        if not liaisons:
            return
        # Every unit with items has a liaison who can log in; the village committees' are many, so by example.
        self.stdout.write(f"其他单位的联络员（{len(liaisons)} 个，密码相同，登录后打开“本单位交办事项”）：")
        villages = [row for row in liaisons if row[2].kind == UnitKind.VILLAGE_COMMITTEE]
        for username, full_name, unit in liaisons:
            if unit.kind != UnitKind.VILLAGE_COMMITTEE:
                self.stdout.write(f"  {username:<19}{full_name}　{unit.name}")
        if villages:
            examples = "、".join(f"{username}（{unit.name}）" for username, _name, unit in villages[:3])
            self.stdout.write(
                f"  村（社区）委员会 {len(villages)} 个：liaison_<乡镇简码><村序号>，如 {examples}；"
                "完整名单见后台“用户”。"
            )
