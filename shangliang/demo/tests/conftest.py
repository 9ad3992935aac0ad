"""One seeded demo district for all the demo tests.

Seeding the demo takes about a minute, so it is built once for this package, inside a transaction
that is rolled back after the package's last test; each test runs in a savepoint of it, as usual.
Tests that need an empty database run before it is built.
"""

import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

HERE = Path(__file__).parent


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker):
    """The demo district down to its ratings: the command's output, and the global generator's next draw."""
    with django_db_blocker.unblock(), transaction.atomic():
        random.seed(7)
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield {"output": output.getvalue(), "global_random_next": random.random()}
        transaction.set_rollback(True)


def pytest_collection_modifyitems(items):
    """Run this package's tests that do not use the seeded district first: they expect an empty database."""
    mine = [index for index, item in enumerate(items) if item.path.is_relative_to(HERE)]
    if not mine:
        return
    ordered = sorted((items[index] for index in mine), key=lambda item: "seeded" in item.fixturenames)
    for index, item in zip(mine, ordered, strict=True):
        items[index] = item
