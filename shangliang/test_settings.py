"""Settings for the test suite: the production settings with test-only environment defaults."""

import os

# The suite tests the production configuration, whatever the shell exports (the Makefile turns
# debug on for `make run`).
os.environ["SHANGLIANG_DEBUG"] = "0"
os.environ.setdefault("SHANGLIANG_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SHANGLIANG_TASKS_EAGER", "1")
os.environ.setdefault("SHANGLIANG_MANIFEST_STATIC", "0")
# The test client and the browser tests' live server speak plain http; tests of the https
# settings turn them on themselves.
os.environ.setdefault("SHANGLIANG_HTTPS", "0")
# No nginx in tests: the media view sends the file bytes itself.
os.environ.setdefault("SHANGLIANG_SENDFILE", "app")

from django.contrib.auth.hashers import Argon2PasswordHasher

from shangliang.settings import *  # noqa: F403


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still (hashes read "argon2$…"), with a tiny cost: the suite makes thousands of accounts,
    and the production cost (100 MiB, 8 lanes) spent most of its time hashing."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


PASSWORD_HASHERS = ["shangliang.test_settings.QuickArgon2PasswordHasher"]

# Counters in memory, emptied before each test (conftest.py).
CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}  # noqa: F405
