"""Every status table of the project, found through the app registry, and its Mermaid diagram.

A table is a dict in an app's ``states.py`` that maps each value of one ``TextChoices`` to the set
of values it may move to (``TOPIC_MOVES``). Core imports no later stage: the ``states`` modules are
found the way Django's admin finds ``admin`` modules, by asking each installed app for one.
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.module_loading import module_has_submodule
from simple_history.models import HistoricalChanges

# Diagrams show the labels in the language the source strings are written in.
DIAGRAM_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class StateTable:
    app_label: str
    name: str  # the constant's name in states.py, e.g. TOPIC_MOVES
    vocabulary: type[models.TextChoices]
    moves: dict
    # (model, field name) pairs whose field takes its choices from ``vocabulary``.
    fields: tuple[tuple[type[models.Model], str], ...]

    @property
    def initial(self) -> list[str]:
        """The defaults of the fields that use the table: where a new record starts."""
        starts = {model._meta.get_field(field).default for model, field in self.fields}
        return [value for value in self.vocabulary.values if value in starts]

    @property
    def final(self) -> list[str]:
        return [value for value in self.vocabulary.values if not self.moves.get(value)]


def _vocabulary_of(value) -> type[models.TextChoices] | None:
    """The TextChoices a dict's keys belong to, when every target is a set of the same choices."""
    if not isinstance(value, dict) or not value:
        return None
    kinds = {type(key) for key in value}
    if len(kinds) != 1:
        return None
    vocabulary = kinds.pop()
    if not (isinstance(vocabulary, type) and issubclass(vocabulary, models.TextChoices)):
        return None
    for targets in value.values():
        if not isinstance(targets, set | frozenset) or any(type(t) is not vocabulary for t in targets):
            return None
    return vocabulary


def _fields_using(vocabulary: type[models.TextChoices]) -> tuple[tuple[type[models.Model], str], ...]:
    """The model fields whose choices are the vocabulary's; history copies of the models are left out."""
    wanted = list(vocabulary.choices)
    return tuple(
        (model, field.name)
        for model in apps.get_models()
        if not issubclass(model, HistoricalChanges)
        for field in model._meta.concrete_fields
        if field.choices and list(field.choices) == wanted
    )


def state_tables() -> list[StateTable]:
    """Every table in the installed apps' ``states`` modules, in app and then source order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shangliang.") or not module_has_submodule(config.module, "states"):
            continue
        module = import_module(f"{config.name}.states")
        for name, value in vars(module).items():
            vocabulary = _vocabulary_of(value)
            if vocabulary is not None:
                found.append(StateTable(config.label, name, vocabulary, value, _fields_using(vocabulary)))
    return found


def mermaid(table: StateTable) -> str:
    """A ``stateDiagram-v2``: identifiers are the stored values, labels the Chinese names."""
    lines = ["stateDiagram-v2", "    direction LR"]
    with translation.override(DIAGRAM_LANGUAGE):
        lines += [f'    state "{label}" as {value}' for value, label in table.vocabulary.choices]
    lines += [f"    [*] --> {value}" for value in table.initial]
    for source in table.vocabulary.values:
        targets = table.moves.get(source, ())
        lines += [f"    {source} --> {target}" for target in table.vocabulary.values if target in targets]
    lines += [f"    {value} --> [*]" for value in table.final]
    return "\n".join(lines)


def diagrams_markdown() -> str:
    """One heading and one Mermaid block per table, as embedded in ``docs/architecture.md``."""
    parts = []
    for table in state_tables():
        used_by = ", ".join(f"`{model.__name__}.{field}`" for model, field in table.fields) or "—"
        parts.append(
            f"#### {table.app_label} · `{table.name}`\n\nUsed by {used_by}.\n\n```mermaid\n{mermaid(table)}\n```"
        )
    return "\n\n".join(parts) + "\n"
