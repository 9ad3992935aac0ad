"""Settings for the test suite: the production settings with test-only environment defaults."""

import os

os.environ.setdefault("SHANGLIANG_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SHANGLIANG_TASKS_EAGER", "1")
os.environ.setdefault("SHANGLIANG_MANIFEST_STATIC", "0")

from django.contrib.auth.hashers import Argon2PasswordHasher

from shangliang.settings import *  # noqa: F403


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still (hashes read "argon2$…"), with a tiny cost: the suite makes thousands of accounts,
    and the production cost (100 MiB, 8 lanes) spent most of its time hashing."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


PASSWORD_HASHERS = ["shangliang.test_settings.QuickArgon2PasswordHasher"]
