"""``manage.py state_diagrams [--output FILE] [--write-docs]``: Mermaid diagrams of every status table."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shangliang.core.state_tables import diagrams_markdown

START = "<!-- state-diagrams:start -->"
END = "<!-- state-diagrams:end -->"


def architecture_doc() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "architecture.md"


def embedded_block(text: str) -> str:
    """What ``docs/architecture.md`` holds between the two markers."""
    if START not in text or END not in text:
        raise CommandError(f"{architecture_doc()} 缺少标记 {START} … {END}")
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def with_block(text: str, block: str) -> str:
    embedded_block(text)
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{START}\n{block}{END}{tail}"


class Command(BaseCommand):
    help = "按各阶段 states.py 中的状态流转表生成 Mermaid 状态图（stateDiagram-v2）。"

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="写入这个文件，默认输出到屏幕")
        parser.add_argument("--write-docs", action="store_true", help="更新 docs/architecture.md 中的状态图部分")

    def handle(self, *args, **options):
        text = diagrams_markdown()
        if options["write_docs"]:
            doc = architecture_doc()
            doc.write_text(with_block(doc.read_text(encoding="utf-8"), text), encoding="utf-8")
            if options["verbosity"] >= 1:
                self.stderr.write(f"已更新 {doc}")
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
        elif not options["write_docs"]:
            self.stdout.write(text, ending="")
