"""History reasons are registered codes: a typo fails, every code in the source is declared with a label.

The pages that show the codes translated (and the person's note kept whole) are tested in the stages that
own them (``topics/tests/test_history_reasons.py``, ``outcomes/tests/test_history_reasons.py``).
"""

import ast
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from shangliang.core.audit import _registry, is_known, reason_label
from shangliang.core.models import BackgroundJob, JobStatus
from shangliang.core.records import save_record
from shangliang.core.transitions import transition

PACKAGE = Path(__file__).resolve().parents[2]
# The helpers that write a reason into a history row; a function passing its own ``reason`` parameter on
# to one of them joins the list (``orgs.services._archive``), so its callers are checked in turn.
WRITERS = {"save_record", "transition", "stamp_history"}
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _production_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literals(node) -> list[str] | None:
    """The codes an argument can be: a string, or a choice between strings; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _reason_arguments():
    """Every call to a history writer in production code: where, its reason argument, the function it is in,
    and whether that argument is the function's own ``reason`` parameter passed on."""
    modules = list(_production_modules())
    writers = set(WRITERS)
    while True:
        found, passing = [], set()
        for path, tree in modules:
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                params = {a.arg for a in function.args.args + function.args.kwonlyargs}
                for call in ast.walk(function):
                    if not isinstance(call, ast.Call) or _called(call) not in writers:
                        continue
                    for keyword in call.keywords:
                        if keyword.arg != "reason":
                            continue
                        value = keyword.value
                        is_passed_on = isinstance(value, ast.Name) and value.id in params
                        if is_passed_on:
                            passing.add(function.name)
                        found.append((f"{path.relative_to(PACKAGE)}:{call.lineno}", value, function.name, is_passed_on))
        if passing <= writers:
            return found
        writers |= passing


def test_an_unknown_reason_code_is_refused_before_anything_is_saved(db):
    user = get_user_model().objects.create_user("job-owner")
    job = BackgroundJob(kind="demo", created_by=user)
    with pytest.raises(ValueError, match="topic.aproved"):
        save_record(job, actor=user, reason="topic.aproved")
    assert job.pk is None
    job.save()
    with pytest.raises(ValueError, match="no.such_code"):
        transition(
            job, to=JobStatus.RUNNING, moves={JobStatus.QUEUED: {JobStatus.RUNNING}}, actor=user, reason="no.such_code"
        )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_every_reason_code_written_in_the_source_is_registered():
    codes, unchecked = set(), []
    for where, value, function, is_passed_on in _reason_arguments():
        literals = _literals(value)
        if literals is not None:
            codes.update((where, code) for code in literals)
        elif not is_passed_on:
            unchecked.append(f"{where} in {function}: {ast.unparse(value)}")
    # Anything but a literal code or a pass-through parameter (a translated sentence, an f-string) is refused.
    assert not unchecked
    assert len({code for _where, code in codes}) > 50
    assert [f"{where}: {code}" for where, code in sorted(codes) if not is_known(code)] == []


def test_no_production_code_sets_the_history_reason_by_hand():
    """Only ``core.records.stamp_history`` sets ``_change_reason``; everything else goes through it."""
    by_hand = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path, tree in _production_modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "_change_reason"
        and isinstance(node.ctx, ast.Store)
        and path.relative_to(PACKAGE).as_posix() != "core/records.py"
    ]
    assert by_hand == []


def test_every_registered_code_has_a_chinese_label():
    registry = _registry()
    assert registry
    with translation.override("zh-hans"):
        for code in registry:
            assert CODE.match(code), code
            label = reason_label(code)
            assert label and label != code, code
            assert re.search(r"[\u4e00-\u9fff]", label), (code, label)


def test_text_written_before_codes_existed_is_shown_as_it_is():
    assert reason_label("审定") == "审定"
    assert reason_label("") == ""
