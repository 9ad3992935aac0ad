"""The one player of the demo's history: steps planned at moments in the past, played in their order.

Each stage of the demo (topics, consultations, outcomes, evaluation) first plans every step at a
moment, ``timeline.add(moment, step)``, and then plays them all with ``timeline.play()``: in the
order of their moments, each step called with its moment. A step calls the services as the person
would, and passes the moment wherever a service reads the clock (``now=``, ``today=``).

What the services cannot be told is stamped by Django with the real clock: ``auto_now`` and
``auto_now_add`` columns (``created_at``, ``sent_at`` …), defaults such as ``date_joined``, and the
stamps of services that take no clock. The player watches the rows a step saves and, when the step
ends, moves every time in them that the real clock wrote during this run to the step's moment;
history rows get the moment before they are written. Inside a step, ``with timeline.at(moment):``
dates what a part of it writes at a moment of its own (a sign-in before the session, a statement at
its minute in the meeting).

Messages a step queues for after the commit are sent when the step ends, so they carry its moment,
through a sender that records them as delivered without sending anything: the demo's numbers are
generated, and none of them may reach a real SMS gateway.
"""

from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, models
from django.db.models.signals import post_save
from django.test.utils import override_settings
from django.utils import timezone
from simple_history.models import HistoricalChanges
from simple_history.signals import pre_create_historical_record

from shangliang.core.senders import Result

DEMO_DELIVERY_DETAIL = "演示数据，未实际发送"

Step = Callable[[datetime], object]


class DemoSender:
    """Records a demo message as delivered without sending it: the numbers are generated, not anyone's."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message) -> Result:
        return Result(True, DEMO_DELIVERY_DETAIL)


DEMO_SENDERS = dict.fromkeys(("sms", "wechat"), f"{__name__}.DemoSender")


class Timeline:
    """Steps at moments, played in the order of the moments (ties in the order they were added)."""

    def __init__(self):
        # Anything stamped from here on by the real clock belongs to a step and is moved to its moment.
        self.started = timezone.now()
        self.steps: list[tuple[datetime, int, Step]] = []
        self.moment: datetime | None = None
        self._saved: dict[tuple[type, object], models.Model] = {}
        self._clock_fields: dict[type, tuple[str, ...]] = {}

    def add(self, moment: datetime, step: Step) -> None:
        """Plan ``step``: ``play`` calls ``step(moment)``."""
        self.steps.append((moment, len(self.steps), step))

    def play(self) -> None:
        uid = f"{__name__}.{id(self)}"
        post_save.connect(self._note_saved, weak=False, dispatch_uid=uid)
        pre_create_historical_record.connect(self._date_history_row, weak=False, dispatch_uid=uid)
        try:
            with override_settings(SHANGLIANG_SENDERS=DEMO_SENDERS):
                for moment, _order, step in sorted(self.steps, key=lambda planned: planned[:2]):
                    with self.at(moment):
                        queued = len(connection.run_on_commit)
                        step(moment)
                        self._send_queued(queued)
        finally:
            post_save.disconnect(dispatch_uid=uid)
            pre_create_historical_record.disconnect(dispatch_uid=uid)

    @contextmanager
    def at(self, moment: datetime):
        """Date what is written inside the block at ``moment``; what the step wrote before keeps its own."""
        outer = self.moment
        self._settle()
        self.moment = moment
        try:
            yield
            self._settle()
        finally:
            self.moment = outer

    # --- dating what the clock stamped -----------------------------------------------------------

    def _fields(self, model: type) -> tuple[str, ...]:
        if model not in self._clock_fields:
            self._clock_fields[model] = tuple(
                f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)
            )
        return self._clock_fields[model]

    def _stamped(self, obj: models.Model, now: datetime) -> tuple[str, ...]:
        """The times on ``obj`` that the real clock wrote during this run (planned future times lie beyond now)."""
        started, values = self.started, obj.__dict__  # a deferred field is not loaded, so not stamped now
        return tuple(
            name
            for name in self._fields(type(obj))
            if (value := values.get(name)) is not None and started <= value <= now
        )

    def _note_saved(self, sender, instance, **kwargs) -> None:
        if self.moment is not None and not isinstance(instance, HistoricalChanges):
            self._saved[(sender, instance.pk)] = instance

    def _date_history_row(self, sender, history_instance, **kwargs) -> None:
        if self.moment is not None:
            for name in self._stamped(history_instance, timezone.now()):
                setattr(history_instance, name, self.moment)

    def _settle(self) -> None:
        """Move the clock's stamps on the rows saved since the last call to the current moment."""
        if not self._saved:
            return
        now = timezone.now()
        groups: dict[tuple[type, tuple[str, ...]], list] = defaultdict(list)
        for (model, pk), instance in self._saved.items():
            names = self._stamped(instance, now)
            if names:
                for name in names:
                    setattr(instance, name, self.moment)
                groups[(model, names)].append(pk)
        self._saved.clear()
        if not groups:
            return
        # Plain SQL: the demo runs some 13,000 of these updates, and building each one through the ORM
        # costs several times what running it does.
        moment = connection.ops.adapt_datetimefield_value(self.moment)
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for (model, names), pks in groups.items():
                meta = model._meta
                columns = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in names)
                cursor.execute(
                    f"UPDATE {quote(meta.db_table)} SET {columns} "
                    f"WHERE {quote(meta.pk.column)} IN ({', '.join(['%s'] * len(pks))})",
                    [moment] * len(names) + [meta.pk.get_db_prep_value(pk, connection) for pk in pks],
                )

    @staticmethod
    def _send_queued(queued: int) -> None:
        """Run what the step queued for after the commit now, so that it happens at the step's moment."""
        callbacks = connection.run_on_commit[queued:]
        del connection.run_on_commit[queued:]
        for _savepoints, callback, _robust in callbacks:
            callback()
