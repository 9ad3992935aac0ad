"""Every (from, to) pair of every status table, on every model that uses the table.

``LISTED`` names each table with the models it governs. The tables found in the apps' ``states``
modules must be exactly these, so a new table (or a new model using an old one) fails here until
it is listed, and with it walked pair by pair.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils.module_loading import module_has_submodule

from shangliang.core.errors import TransitionNotAllowed
from shangliang.core.state_tables import state_tables
from shangliang.core.transitions import ensure_move

# (model, status field, table). Named by strings: core imports no later stage, not even in its tests.
LISTED = [
    ("topics.Submission", "status", "topics.SUBMISSION_MOVES"),
    ("topics.Topic", "status", "topics.TOPIC_MOVES"),
    ("consultations.Consultation", "status", "consultations.CONSULTATION_MOVES"),
    ("consultations.Dissent", "outcome", "consultations.EXPLANATION_MOVES"),
    ("consultations.Suggestion", "decision", "consultations.DECISION_MOVES"),
    ("outcomes.OutcomeReport", "status", "outcomes.REPORT_MOVES"),
    ("outcomes.Assignment", "status", "outcomes.ASSIGNMENT_MOVES"),
    ("outcomes.ExtensionRequest", "status", "outcomes.EXTENSION_MOVES"),
    ("evaluation.FollowUp", "status", "evaluation.FOLLOW_UP_MOVES"),
    ("orgs.Appointment", "status", "orgs.APPOINTMENT_MOVES"),
    ("orgs.JoinRequest", "status", "orgs.JOIN_REQUEST_MOVES"),
    ("events.Event", "status", "events.EVENT_MOVES"),
    ("events.EventQuestion", "status", "events.QUESTION_MOVES"),
    ("funds.FundEntry", "status", "funds.ENTRY_MOVES"),
    ("handoffs.Handoff", "status", "handoffs.HANDOFF_MOVES"),
    ("publicity.Article", "status", "publicity.ARTICLE_MOVES"),
    ("publicity.ArchiveDocument", "status", "publicity.ARCHIVE_MOVES"),
    ("hotline.HotIssue", "status", "hotline.ISSUE_MOVES"),
]


def _table(dotted: str) -> dict:
    app_label, name = dotted.split(".")
    return getattr(import_module(f"{apps.get_app_config(app_label).name}.states"), name)


# A table whose records never end by a status: an archive document taken back for correction is published
# again; archiving (``is_archived``) is what ends it.
WITHOUT_FINAL = [_table("publicity.ARCHIVE_MOVES")]

TABLES = [(apps.get_model(model), field, _table(table)) for model, field, table in LISTED]


def _values(model, field) -> list[str]:
    return [value for value, _label in model._meta.get_field(field).choices]


PAIRS = [
    (model, field, table, source, target)
    for model, field, table in TABLES
    for source in _values(model, field)
    for target in _values(model, field)
]


def test_the_discovered_tables_are_exactly_the_listed_ones():
    found = {
        (model._meta.label, field, f"{table.app_label}.{table.name}")
        for table in state_tables()
        for model, field in table.fields
    }
    assert found == set(LISTED)
    assert len(state_tables()) == len({table for _model, _field, table in LISTED}) == 18


def test_every_table_is_named_moves_and_every_moves_constant_is_a_table():
    tables = state_tables()
    constants = {
        (config.label, name)
        for config in apps.get_app_configs()
        if config.name.startswith("shangliang.") and module_has_submodule(config.module, "states")
        for name in vars(import_module(f"{config.name}.states"))
        if name.endswith("_MOVES")
    }
    assert {(table.app_label, table.name) for table in tables} == constants
    assert all(table.fields for table in tables), "a table no model uses"


@pytest.mark.parametrize("model,field,moves", TABLES, ids=[m.__name__ for m, _f, _t in TABLES])
def test_every_status_is_a_key_and_every_target_a_status(model, field, moves):
    values = _values(model, field)
    assert sorted(moves) == sorted(values), "each status is listed, a final one with an empty set"
    assert all(set(targets) <= set(values) for targets in moves.values())
    assert any(not targets for targets in moves.values()) or moves in WITHOUT_FINAL, "a table without a final status"


@pytest.mark.parametrize(
    "model,field,moves,source,target",
    PAIRS,
    ids=[f"{m.__name__}-{s}-{t}" for m, _f, _t, s, t in PAIRS],
)
def test_ensure_move_allows_a_pair_if_and_only_if_the_table_has_it(model, field, moves, source, target):
    record = model(**{field: source})
    if target in moves[source]:
        ensure_move(record, to=target, moves=moves, field=field)
    else:
        with pytest.raises(TransitionNotAllowed):
            ensure_move(record, to=target, moves=moves, field=field)
    assert getattr(record, field) == source
