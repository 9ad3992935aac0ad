"""A production install without its static files refuses to start instead of failing every page."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def server_environment(tmp_path) -> dict:
    """A fresh process's environment with debug off and the hashed static files expected."""
    # pytest-playwright allows async-unsafe calls in this process; a server never would.
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SHANGLIANG_") and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        {
            "SHANGLIANG_SECRET_KEY": "startup-check-secret-key",
            "SHANGLIANG_MANIFEST_STATIC": "1",
            "SHANGLIANG_SCHEDULER": "off",
            "SHANGLIANG_DATA_DIR": str(tmp_path / "data"),
            "SHANGLIANG_STATIC_ROOT": str(tmp_path / "static"),
        }
    )
    return environment


def run(tmp_path, *command, environment=None):
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=environment or server_environment(tmp_path),
        capture_output=True,
        text=True,
    )


def start_wsgi(tmp_path):
    return run(
        tmp_path,
        "-c",
        "import shangliang.wsgi",
        environment={**server_environment(tmp_path), "DJANGO_SETTINGS_MODULE": "shangliang.settings"},
    )


def test_the_web_process_refuses_to_start_before_collectstatic(tmp_path):
    result = start_wsgi(tmp_path)
    assert result.returncode != 0
    assert "collectstatic" in result.stderr


def test_manage_check_names_the_missing_static_files(tmp_path):
    result = run(tmp_path, "manage.py", "check")
    assert result.returncode != 0
    assert "shangliang.E001" in result.stderr


def test_the_web_process_starts_once_static_files_are_collected(tmp_path):
    static_root = tmp_path / "static"
    static_root.mkdir()
    (static_root / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    result = start_wsgi(tmp_path)
    assert result.returncode == 0, result.stderr


def production_environment(tmp_path) -> dict:
    """The environment of docs/deploy.md, section 4 (SQLite instead of PostgreSQL: no server needed)."""
    static_root = tmp_path / "static"
    static_root.mkdir(exist_ok=True)
    (static_root / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    return {
        **server_environment(tmp_path),
        "SHANGLIANG_SECRET_KEY": "q3Zl9vJ0bKx_7mN2pR8sT4wY6zA1cE5gH9jL3nP7rV0xB2dF6hK8mQ4tW",
        "SHANGLIANG_ALLOWED_HOSTS": "xieshang.example.gov.cn",
        "SHANGLIANG_CSRF_TRUSTED_ORIGINS": "https://xieshang.example.gov.cn",
        "SHANGLIANG_PUBLIC_BASE_URL": "https://xieshang.example.gov.cn",
        "SHANGLIANG_TRUSTED_PROXIES": "1",
        "SHANGLIANG_MEDIA_ROOT": str(tmp_path / "data" / "media"),
    }


def test_check_deploy_is_silent_with_the_documented_production_environment(tmp_path):
    result = run(tmp_path, "manage.py", "check", "--deploy", environment=production_environment(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
