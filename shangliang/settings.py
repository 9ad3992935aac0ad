"""Settings for Shangliang, read from environment variables.

SHANGLIANG_DATABASE_URL  sqlite:///path or postgres://user:pass@host:port/name
SHANGLIANG_SECRET_KEY    required when SHANGLIANG_DEBUG is off
SHANGLIANG_DEBUG         1 to enable debug pages (development only)
SHANGLIANG_ALLOWED_HOSTS comma-separated host names
SHANGLIANG_DATA_DIR      where the SQLite file and uploaded files live (default ./var)
SHANGLIANG_REDIS_URL     redis://host:port/db for the shared cache and the Celery broker (optional)
SHANGLIANG_SCHEDULER     who runs reminders: inprocess (default), celery or off (cron)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("SHANGLIANG_DEBUG", False)
DATA_DIR = Path(os.environ.get("SHANGLIANG_DATA_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SHANGLIANG_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SHANGLIANG_SECRET_KEY must be set when debug is off.")
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("SHANGLIANG_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("SHANGLIANG_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "rules",
    "axes",
    "shangliang.core",
    "shangliang.accounts",
    "shangliang.orgs",
    "shangliang.topics",
    "shangliang.consultations",
    "shangliang.outcomes",
    "shangliang.evaluation",
    "shangliang.points",
    "shangliang.scoring",
    "shangliang.dashboard",
    "shangliang.portal",
    "shangliang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shangliang.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shangliang.orgs.middleware.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shangliang.urls"
WSGI_APPLICATION = "shangliang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shangliang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shangliang.portal.context_processors.navigation",
            ],
        },
    },
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SHANGLIANG_DATABASE_URL", f"sqlite:///{DATA_DIR / 'shangliang.sqlite3'}"),
        conn_max_age=int(os.environ.get("SHANGLIANG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets residents read while an import writes; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "shangliang.accounts.backends.UsernameOrMobileBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login failures: five wrong passwords for one account lock it for thirty minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# Residents stay signed in on their phones; staff sessions end after 30 idle minutes.
SESSION_COOKIE_AGE = 14 * 24 * 3600
STAFF_IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_flag("SHANGLIANG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SHANGLIANG_STATIC_ROOT", BASE_DIR / "staticfiles"))
# WhiteNoise warns on every start while collectstatic has not run yet (development, tests).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "shangliang" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_flag("SHANGLIANG_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SHANGLIANG_MEDIA_ROOT", DATA_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shangliang",
    }
}
if os.environ.get("SHANGLIANG_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["SHANGLIANG_REDIS_URL"],
    }

# Scheduled work (reminders). "inprocess": a thread of the web process runs it, enough for one
# server; "celery": celery beat enqueues it for a worker on Redis; "off": cron runs the commands.
SHANGLIANG_SCHEDULER = os.environ.get("SHANGLIANG_SCHEDULER", "inprocess").strip().lower()
if SHANGLIANG_SCHEDULER not in {"inprocess", "celery", "off"}:
    raise ImproperlyConfigured("SHANGLIANG_SCHEDULER must be inprocess, celery or off.")
SHANGLIANG_REMINDER_INTERVAL_MINUTES = int(os.environ.get("SHANGLIANG_REMINDER_INTERVAL_MINUTES", "60"))
# Dotted paths, because core (which runs them) may not import the stages.
SHANGLIANG_PERIODIC_JOBS = [
    ("shangliang.outcomes.reminders.reminders_run", SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    ("shangliang.evaluation.reminders.follow_up_reminders_run", SHANGLIANG_REMINDER_INTERVAL_MINUTES),
]
if os.environ.get("SHANGLIANG_REDIS_URL"):
    CELERY_BROKER_URL = os.environ["SHANGLIANG_REDIS_URL"]
    CELERY_RESULT_BACKEND = os.environ["SHANGLIANG_REDIS_URL"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = timedelta(days=1)
# Acknowledge after the task ran, and put it back if its worker process dies: a lost run is
# redelivered, and the once-only rows make a repeated run harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# With late acknowledgement a prefetched task would wait behind a long one; take one at a time.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {
        "task": "shangliang.outcomes.tasks.send_due_reminders",
        "schedule": timedelta(minutes=SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    },
    "send-follow-up-reminders": {
        "task": "shangliang.evaluation.tasks.send_follow_up_reminders",
        "schedule": timedelta(minutes=SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    },
}

# Background jobs run in a thread of the web process unless a worker queue is configured;
# tests set this to run them at once in the calling thread.
SHANGLIANG_TASKS_EAGER = env_flag("SHANGLIANG_TASKS_EAGER", False)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHANGLIANG_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}


# Lockout is per account on purpose: villagers behind one carrier NAT share an IP address, so
# an address-wide lock would shut a whole village out after one person's typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Consultations: advance notice at least this many days before; residents and stakeholders should
# be at least this share of participants (利益涉及谁就和谁商量).
SHANGLIANG_NOTICE_DAYS = int(os.environ.get("SHANGLIANG_NOTICE_DAYS", "3"))
SHANGLIANG_MIN_AFFECTED_SHARE = float(os.environ.get("SHANGLIANG_MIN_AFFECTED_SHARE", "0.5"))
# Channel → sender class; the console sender logs messages until a real gateway is configured.
SHANGLIANG_SENDERS = {
    "sms": os.environ.get("SHANGLIANG_SMS_SENDER", "shangliang.core.senders.ConsoleSender"),
    "wechat": os.environ.get("SHANGLIANG_WECHAT_SENDER", "shangliang.core.senders.ConsoleSender"),
}
# Outcomes, in days: reminder before a deadline; escalation after it to the unit's head and to the
# district board; written reply to an entrusted matter; returning a wrong assignment; publication.
SHANGLIANG_REMIND_BEFORE_DAYS = int(os.environ.get("SHANGLIANG_REMIND_BEFORE_DAYS", "3"))
SHANGLIANG_ESCALATE_HEAD_DAYS = int(os.environ.get("SHANGLIANG_ESCALATE_HEAD_DAYS", "3"))
SHANGLIANG_ESCALATE_BOARD_DAYS = int(os.environ.get("SHANGLIANG_ESCALATE_BOARD_DAYS", "7"))
SHANGLIANG_REPLY_DAYS = int(os.environ.get("SHANGLIANG_REPLY_DAYS", "10"))
SHANGLIANG_RETURN_DAYS = int(os.environ.get("SHANGLIANG_RETURN_DAYS", "5"))
SHANGLIANG_PUBLISH_DAYS = int(os.environ.get("SHANGLIANG_PUBLISH_DAYS", "7"))
