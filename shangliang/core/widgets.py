"""Searchable pickers: a plain ``<select>`` that ``static/js/picker.js`` turns into a type-to-filter list
with Tom Select (served from ``node_modules``, see docs/decisions.md).

Without the script (or for the test client) the page has the normal select, grouped with
``<optgroup>``, so the form posts the same values either way. The view or form says how options are
grouped (``group_of(instance) -> label``) and which come first (``first``: ``(label, [pk, …])``
groups, such as the units of the item's region and those used recently). Each option appears once:
in the first group that lists it, else in its own group. The options carry ``data-group`` and, for the
first groups, ``data-suggested``, which the script reads.

Usage::

    lead_unit = forms.ModelChoiceField(queryset=..., widget=SearchableSelect)
    form.fields["lead_unit"].widget.configure(group_of=unit_group, first=[(_("本地单位"), [3, 8])])

The page includes ``{{ form.media }}`` (the script) once.
"""

from collections.abc import Callable, Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

GroupOf = Callable[[object], str]


def _key(value) -> str:
    """The submitted form of an option's value (a model choice's value is an object with ``.value``)."""
    return str(getattr(value, "value", value))


class _Searchable:
    """What both pickers share: the configuration, the regrouped options and the data attributes."""

    group_of: GroupOf | None = None
    first: tuple = ()

    class Media:
        css = {"all": ["vendor/tom-select/css/tom-select.default.min.css", "css/picker.css"]}
        js = ["vendor/tom-select/js/tom-select.complete.min.js", "js/picker.js"]

    def __init__(self, attrs=None, *args, **kwargs):
        attrs = {
            "data-picker": "multiple" if self.allow_multiple_selected else "single",
            "data-filter-placeholder": _("输入名称筛选"),
            "data-empty-text": _("没有匹配的选项"),
            **(attrs or {}),
        }
        super().__init__(attrs, *args, **kwargs)

    def configure(self, *, group_of: GroupOf | None = None, first: Iterable[tuple[str, Iterable]] = ()) -> None:
        """``group_of(instance)`` names an option's group; ``first`` are the groups offered before the rest."""
        self.group_of = group_of
        self.first = tuple((label, [str(pk) for pk in pks]) for label, pks in first)

    def _grouped(self) -> list[tuple[str | None, list[tuple[object, str]], bool]]:
        """(group label, [(value, label)], suggested) in the order shown; the blank choice ungrouped first."""
        blank, options = [], []
        for value, label in self.choices:
            if isinstance(label, (list, tuple)):  # choices grouped already: their group, as given
                options += [(sub_value, sub_label, str(value)) for sub_value, sub_label in label]
            elif value is None or value == "":
                blank.append(("", label))
            else:
                options.append((value, label, None))
        by_key = {_key(value): (value, label) for value, label, _group in options}
        placed: set[str] = set()
        groups: list[tuple[str | None, list, bool]] = [(None, blank, False)] if blank else []
        for label, keys in self.first:
            members = [by_key[key] for key in keys if key in by_key and key not in placed]
            placed.update(_key(value) for value, _label in members)
            if members:
                groups.append((str(label), members, True))
        others: dict[str, list] = {}
        for value, label, group in options:
            if _key(value) in placed:
                continue
            instance = getattr(value, "instance", None)
            if group is None and self.group_of is not None and instance is not None:
                group = self.group_of(instance)
            others.setdefault(group or "", []).append((value, label))
        groups += [(group or None, members, False) for group, members in others.items()]
        return groups

    def optgroups(self, name, value, attrs=None):
        result = []
        has_selected = False
        index = 0
        for group, members, suggested in self._grouped():
            options = []
            for option_value, option_label in members:
                option_value = "" if option_value is None else option_value
                selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in value
                has_selected |= selected
                option = self.create_option(name, option_value, option_label, selected, index, attrs=attrs)
                if group:
                    option["attrs"]["data-group"] = group
                if suggested:
                    option["attrs"]["data-suggested"] = "1"
                options.append(option)
                index += 1
            result.append((group, options, index))
        return result


class SearchableSelect(_Searchable, forms.Select):
    """One choice among many (a lead unit among hundreds)."""


class SearchableSelectMultiple(_Searchable, forms.SelectMultiple):
    """Several choices among many (co-units); the script shows ticks instead of a multi-select box."""
