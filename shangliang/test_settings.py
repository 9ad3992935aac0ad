"""Settings for the test suite: the production settings with test-only environment defaults."""

import os

os.environ.setdefault("SHANGLIANG_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SHANGLIANG_TASKS_EAGER", "1")
os.environ.setdefault("SHANGLIANG_MANIFEST_STATIC", "0")

from shangliang.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
