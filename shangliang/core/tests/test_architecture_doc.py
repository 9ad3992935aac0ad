"""docs/architecture.md embeds the state diagrams the command draws from the tables; they must agree."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from shangliang.core.management.commands.state_diagrams import (
    END,
    START,
    architecture_doc,
    embedded_block,
    with_block,
)
from shangliang.core.state_tables import state_tables


def diagrams() -> str:
    out = StringIO()
    call_command("state_diagrams", stdout=out)
    return out.getvalue()


def test_the_architecture_page_embeds_the_diagrams_the_command_draws_today():
    embedded = embedded_block(architecture_doc().read_text(encoding="utf-8"))
    assert embedded == diagrams(), "the state tables changed: run `manage.py state_diagrams --write-docs`"


def test_every_table_has_a_diagram_with_every_state_and_every_move():
    text = diagrams()
    assert text.count("stateDiagram-v2") == len(state_tables())
    for table in state_tables():
        assert f"`{table.name}`" in text
        for value, targets in table.moves.items():
            assert f"as {value}\n" in text
            for target in targets:
                assert f"    {value} --> {target}\n" in text


def test_labels_are_chinese_whatever_language_is_active():
    with translation.override("en"):
        text = diagrams()
    assert 'state "待审定" as pending' in text and 'state "协商中" as in_session' in text


def test_output_and_write_docs_write_files_and_keep_the_rest_of_the_page(tmp_path, settings):
    target = tmp_path / "diagrams.md"
    call_command("state_diagrams", output=target)
    assert target.read_text(encoding="utf-8") == diagrams()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "architecture.md").write_text(f"# Page\n\nBefore.\n\n{START}\nstale\n{END}\n\nAfter.\n", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    call_command("state_diagrams", write_docs=True, verbosity=0)
    page = (docs / "architecture.md").read_text(encoding="utf-8")
    assert page.startswith("# Page\n\nBefore.\n\n") and page.endswith(f"{END}\n\nAfter.\n")
    assert "stale" not in page and embedded_block(page) == diagrams()


def test_a_page_without_the_markers_is_refused():
    with pytest.raises(CommandError):
        with_block("# Page without markers\n", "diagram\n")
