"""Every rule setting is declared once, in the settings module, with its default."""

import re
from pathlib import Path

from shangliang import settings as project_settings

PACKAGE = Path(__file__).resolve().parent.parent / "shangliang"
READ = re.compile(r"settings\.(SHANGLIANG_[A-Z0-9_]+)")
DEFAULTED = re.compile(r"getattr\(\s*settings\s*,\s*[\"']SHANGLIANG_")


def production_modules():
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts or path.name in {"settings.py", "test_settings.py"}:
            continue
        yield path


def test_no_module_repeats_a_default():
    offenders = [str(p.relative_to(PACKAGE)) for p in production_modules() if DEFAULTED.search(p.read_text("utf-8"))]
    assert offenders == []


def test_every_setting_read_is_declared():
    read = {name for p in production_modules() for name in READ.findall(p.read_text("utf-8"))}
    assert read, "the scan found no settings at all"
    undeclared = sorted(name for name in read if not hasattr(project_settings, name))
    assert undeclared == []
