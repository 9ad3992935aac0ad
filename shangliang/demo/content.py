"""The demo's Chinese content (names, places, texts people write and say), kept as data beside the code.

Each stage of the demo reads one file of ``demo/data/`` (``topics.json`` for ``demo.topics`` …),
so the texts can be read and changed without reading Python. Strings may hold ``{placeholders}``
that the code fills in with ``str.format``; choice values (sources, stances, reasons) are the
codes of the app's ``TextChoices``. The files are part of the source tree and read from it.
"""

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str):
    """The parsed ``data/<name>.json``, read once per process."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as file:
        return json.load(file)
