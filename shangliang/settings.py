"""Settings for Shangliang, read from environment variables.

SHANGLIANG_DATABASE_URL  sqlite:///path or postgres://user:pass@host:port/name
SHANGLIANG_SECRET_KEY    required when SHANGLIANG_DEBUG is off
SHANGLIANG_DEBUG         1 to enable debug pages (development only)
SHANGLIANG_ALLOWED_HOSTS comma-separated host names
SHANGLIANG_DATA_DIR      where the SQLite file and uploaded files live (default ./var)
SHANGLIANG_REDIS_URL     redis://host:port/db for the shared cache and the Celery broker (optional)
SHANGLIANG_SCHEDULER     who runs reminders: inprocess (default), celery or off (cron)
SHANGLIANG_SECURE_COOKIES 0 to send the session and CSRF cookies over plain http (on unless debugging)
SHANGLIANG_HSTS_SECONDS  how long browsers keep to https (default one year unless debugging; 0 = no HSTS)
SHANGLIANG_SENDFILE      who sends uploaded files once allowed: nginx (default; X-Accel-Redirect) or app
SHANGLIANG_SENDFILE_URL  nginx's internal location for them (default /protected-media)
SHANGLIANG_PUBLIC_BASE_URL  the address residents reach (https://…), for QR codes and message links
SHANGLIANG_TRUSTED_PROXIES  how many proxies stand in front (1 behind nginx): whose X-Forwarded-For to trust
SHANGLIANG_HTTPS         0 for an http-only intranet (on unless debugging: proxy https header, redirect)
SHANGLIANG_RATE_LIMITS   per-address limits, e.g. "submit=20/10m,register=10/10m" (see docs/security.md)
SHANGLIANG_SIGN_IN_OPENS_MINUTES  how long before a session the door sign-in opens (default 60)
SHANGLIANG_SMS_PROVIDER  console (default: messages go to the log), aliyun or tencent (docs/deploy.md)
SHANGLIANG_WECHAT_APP_ID, SHANGLIANG_WECHAT_APP_SECRET  the WeChat official account (公众号), if any
SHANGLIANG_SESSION_OPEN_MARGIN_HOURS  how long before the notified start the convener may open a session (default 2)
SHANGLIANG_DEADLINE_COUNTING  which deadlines count working days (工作日), e.g. "return=working" (default: the reply)
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
        raise ImproperlyConfigured(
            "SHANGLIANG_SECRET_KEY must be set when debug is off. In production set SHANGLIANG_SECRET_KEY "
            "(docs/deploy.md); in a development checkout prefix the command with SHANGLIANG_DEBUG=1, e.g. "
            "`SHANGLIANG_DEBUG=1 .venv/bin/python manage.py seed_demo` (make run and make test set it)."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("SHANGLIANG_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("SHANGLIANG_CSRF_TRUSTED_ORIGINS")

# The address residents reach (https://…): every QR code, poster and message link is built on it.
SHANGLIANG_PUBLIC_BASE_URL = os.environ.get("SHANGLIANG_PUBLIC_BASE_URL", "").strip().rstrip("/")
if SHANGLIANG_PUBLIC_BASE_URL and not SHANGLIANG_PUBLIC_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("SHANGLIANG_PUBLIC_BASE_URL must start with https:// (or http:// on a plain intranet).")
# Behind the TLS proxy (docs/deploy.md): nginx says the request came over https, and plain http is
# sent to https. Both are on whenever debug is off, unless SHANGLIANG_HTTPS=0 (an http-only intranet).
SHANGLIANG_HTTPS = env_flag("SHANGLIANG_HTTPS", not DEBUG)
if SHANGLIANG_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SHANGLIANG_SSL_REDIRECT", True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "simple_history",
    "shangliang.core.third_party_apps.AxesConfig",  # django-axes, named in Chinese in the admin
    "shangliang.core",
    "shangliang.accounts",
    "shangliang.orgs",
    "shangliang.topics",
    "shangliang.consultations",
    "shangliang.outcomes",
    "shangliang.events",
    "shangliang.funds",
    "shangliang.handoffs",
    "shangliang.hotline",
    "shangliang.evaluation",
    "shangliang.publicity",
    "shangliang.points",
    "shangliang.scoring",
    "shangliang.dashboard",
    "shangliang.portal",
    "shangliang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shangliang.core.middleware.RefuseNulBytesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # A long-lived random id per browser for the per-device rate limits (core.ratelimits).
    "shangliang.core.devices.DeviceIdMiddleware",
    "shangliang.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shangliang.accounts.middleware.PasswordChangeRequiredMiddleware",
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
    {"NAME": "shangliang.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login failures (see accounts/lockout.py): five wrong passwords for one account from one address
# lock that pair for thirty minutes; every spelling of the account counts as the account. Limits
# per address and per account (SHANGLIANG_RATE_LIMITS "login", "login_account") stand behind it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "shangliang.accounts.lockout.axes_username"
AXES_CLIENT_IP_CALLABLE = "shangliang.core.clients.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

# Residents stay signed in on their phones; staff sessions end after 30 idle minutes.
SESSION_COOKIE_AGE = 14 * 24 * 3600
STAFF_IDLE_TIMEOUT_SECONDS = 30 * 60
SESSION_COOKIE_HTTPONLY = True
# Cookies only over HTTPS unless debugging; SHANGLIANG_SECURE_COOKIES=0 for a plain-http intranet install.
SESSION_COOKIE_SECURE = env_flag("SHANGLIANG_SECURE_COOKIES", not DEBUG)
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
    # Searchable pickers (long lists of units and members): only the built script and styles.
    ("vendor/tom-select/js", BASE_DIR / "node_modules" / "tom-select" / "dist" / "js"),
    ("vendor/tom-select/css", BASE_DIR / "node_modules" / "tom-select" / "dist" / "css"),
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

# --- Uploaded files (security findings 5 and 6) ------------------------------------------------
# Stored under random names with the extension of their content, and never served as a folder: the
# media view (shangliang.core.media_views.media_file) asks the app owning each file whether the user may
# see it, then hands the file to nginx through an internal location (X-Accel-Redirect at
# SHANGLIANG_SENDFILE_URL, see docs/deploy.md section 7) or, with SHANGLIANG_SENDFILE=app, streams
# it itself (development, or a server without nginx in front).
STORAGES["default"] = {"BACKEND": "shangliang.core.storage.RandomNameStorage"}
SHANGLIANG_SENDFILE = os.environ.get("SHANGLIANG_SENDFILE", "app" if DEBUG else "nginx").strip().lower()
_SENDFILE_BACKENDS = {"nginx": "django_sendfile.backends.nginx", "app": "django_sendfile.backends.simple"}
if SHANGLIANG_SENDFILE not in _SENDFILE_BACKENDS:
    raise ImproperlyConfigured("SHANGLIANG_SENDFILE must be nginx or app.")
SENDFILE_BACKEND = _SENDFILE_BACKENDS[SHANGLIANG_SENDFILE]
SENDFILE_ROOT = os.path.abspath(MEDIA_ROOT)
SENDFILE_URL = os.environ.get("SHANGLIANG_SENDFILE_URL", "/protected-media")
# --- end of uploaded files ------------------------------------------------------------------------
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shangliang",
    }
}
# Rate-limit counters must be shared by every web process: in Redis when there is one, otherwise in
# files under the data folder (one server; an increment is not atomic, so a burst of simultaneous
# requests may be undercounted by a few, but a flood is counted across all gunicorn workers).
CACHES["ratelimit"] = {
    "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
    "LOCATION": str(DATA_DIR / "cache" / "ratelimit"),
    "OPTIONS": {"MAX_ENTRIES": 20000},
}
if os.environ.get("SHANGLIANG_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["SHANGLIANG_REDIS_URL"],
    }
    CACHES["ratelimit"] = {**CACHES["default"], "KEY_PREFIX": "ratelimit"}

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
    ("shangliang.core.jobs.stale_uploads_discard", SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    ("shangliang.consultations.reminders.consultation_reminders_run", SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    ("shangliang.outcomes.reminders.outcome_reminders_run", SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    # Texts and WeChat messages due again (retries) or whose dispatch was lost; stuck ones marked 结果不明.
    ("shangliang.core.dispatch.deliveries_run", 1),
    # Hotline grouping: single records nobody repeated for long leave the grouping state (daily).
    ("shangliang.hotline.issues.prune_all", 24 * 60),
    # (more periodic jobs)
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
    "discard-stale-uploads": {
        "task": "shangliang.core.tasks.discard_stale_uploads",
        "schedule": timedelta(minutes=SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    },
    "send-consultation-reminders": {
        "task": "shangliang.consultations.tasks.send_consultation_reminders",
        "schedule": timedelta(minutes=SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    },
    "send-outcome-reminders": {
        "task": "shangliang.outcomes.tasks.send_outcome_reminders",
        "schedule": timedelta(minutes=SHANGLIANG_REMINDER_INTERVAL_MINUTES),
    },
    "send-due-deliveries": {
        "task": "shangliang.core.tasks.send_due_deliveries",
        "schedule": timedelta(minutes=1),
    },
    "prune-hotline-grouping": {
        "task": "shangliang.hotline.tasks.prune_grouping",
        "schedule": timedelta(days=1),
    },
    # (more beat entries)
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


# Client addresses: how many proxies (nginx) stand in front of the app; their X-Forwarded-For
# entry is the real client. 0 when the app is reached directly (development).
SHANGLIANG_TRUSTED_PROXIES = int(os.environ.get("SHANGLIANG_TRUSTED_PROXIES", "0"))
RATELIMIT_IP_META_KEY = "shangliang.core.clients.client_ip"
RATELIMIT_USE_CACHE = "ratelimit"
# A cache outage must not shut everyone out of the login and the public forms.
RATELIMIT_FAIL_OPEN = True


def _rate_limits() -> dict[str, str]:
    """Requests per client address on the open endpoints; SHANGLIANG_RATE_LIMITS="submit=5/m,..." overrides."""
    rates = {
        "submit": "20/10m",  # anonymous submissions
        "register": "10/10m",  # resident accounts opened
        "login": "30/15m",  # failed logins per address, whatever the account
        "login_account": "20/30m",  # failed logins per account, whatever the address
        "rate": "60/10m",  # ratings of results
        "post": "30/10m",  # online opinions
        "support": "60/10m",  # supporting and following pool topics
        "signup": "30/10m",  # signing up for a consultation
        "signin": "60/10m",  # door sign-in at a session (a whole room shares one Wi-Fi)
        "track": "60/10m",  # tracking-code look-ups
        "code": "20/10m",  # SMS verification codes asked for
        "receipt": "600/m",  # delivery receipts pushed by an SMS provider
        "hotline_api": "120/m",  # a hotline system's calls: pushes (up to 500 records each) and result reads
        "hotline_token": "10/10m",  # calls with a wrong token (a token is not to be guessed)
    }
    for item in env_list("SHANGLIANG_RATE_LIMITS"):
        name, _, rate = item.partition("=")
        if name.strip() in rates and rate.strip():
            rates[name.strip()] = rate.strip()
    return rates


SHANGLIANG_RATE_LIMITS = _rate_limits()


def _device_rate_limits() -> dict[str, str]:
    """Requests per device (a long-lived cookie) or per mobile number, on top of the per-address limits.

    A room sharing one address stays under the address limit, while one phone or one number
    repeating itself is stopped here. SHANGLIANG_DEVICE_RATE_LIMITS="submit=3/10m,..." overrides.
    """
    rates = {
        "submit": "10/10m",  # form errors count too: a resident correcting a field must not hit it
        "register": "5/10m",
        "rate": "10/10m",
        "post": "10/10m",
        "support": "30/10m",
        "signup": "10/10m",
        "signin": "10/10m",
        "track": "20/10m",
        "code": "5/10m",  # codes asked for from one device
        "code_mobile": "5/h",  # codes sent to one number, whoever asks
    }
    for item in env_list("SHANGLIANG_DEVICE_RATE_LIMITS"):
        name, _, rate = item.partition("=")
        if name.strip() in rates and rate.strip():
            rates[name.strip()] = rate.strip()
    return rates


SHANGLIANG_DEVICE_RATE_LIMITS = _device_rate_limits()

# --- Security headers (penetration test findings 10 and 17) ---
# Every asset is served from this site (ECharts and htmx from node_modules) and no template has
# inline scripts, <style> or style="" (core/tests/test_headers.py checks), so nothing inline is
# allowed, not even style attributes: ECharts styles its elements through the CSSOM, which CSP
# permits, and dashboard.js gives its tooltips classes instead of ECharts' style="" markup.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the empty favicon in base.html
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Features the app never uses. camera=() stops pages from opening the camera themselves
# (getUserMedia); the photo inputs (accept="image/*") still offer the phone's own camera app.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
# HTTPS only for a year once a browser has seen the site over HTTPS; SHANGLIANG_HSTS_SECONDS=0
# turns it off (for example while a certificate is being set up).
SECURE_HSTS_SECONDS = int(os.environ.get("SHANGLIANG_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Browser preload lists (hstspreload.org) are a hard-to-undo commitment for the whole domain that
# its owner submits; not a default, so check --deploy need not ask for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# An expired or missing CSRF token shows a Chinese page instead of Django's English one.
CSRF_FAILURE_VIEW = "shangliang.core.error_views.csrf_failure"
# --- end security headers ---

# --- the rules of the loop: every SHANGLIANG_* rule setting is declared here, once, with its default ---
# Code reads them as settings.SHANGLIANG_…; nowhere else repeats a default.

# Advance notice (事先知情通报) goes out at least this many days before a session.
SHANGLIANG_NOTICE_DAYS = int(os.environ.get("SHANGLIANG_NOTICE_DAYS", "3"))
# Residents and stakeholders should be at least this share of participants (利益涉及谁就和谁商量).
SHANGLIANG_MIN_AFFECTED_SHARE = float(os.environ.get("SHANGLIANG_MIN_AFFECTED_SHARE", "0.5"))
# Self sign-in (door code, own page) opens this many minutes before the start, until the planned end.
SHANGLIANG_SIGN_IN_OPENS_MINUTES = int(os.environ.get("SHANGLIANG_SIGN_IN_OPENS_MINUTES", "60"))
# The door QR on the screen changes every this many minutes; the previous code stays good one more period.
SHANGLIANG_SIGN_IN_ROTATE_MINUTES = int(os.environ.get("SHANGLIANG_SIGN_IN_ROTATE_MINUTES", "10"))
# Participants are reminded this many hours before a session (each once; "24,2" = a day and two hours ahead).
SHANGLIANG_SESSION_REMIND_HOURS = [int(h) for h in env_list("SHANGLIANG_SESSION_REMIND_HOURS", "24,2")]
# An approved topic not yet planned (no consultation) after this many days: its convener is reminded.
SHANGLIANG_PLAN_REMIND_DAYS = int(os.environ.get("SHANGLIANG_PLAN_REMIND_DAYS", "14"))
# A dissent (不同意见) still without its explanation this many days after the session: the convener is reminded.
SHANGLIANG_DISSENT_EXPLAIN_DAYS = int(os.environ.get("SHANGLIANG_DISSENT_EXPLAIN_DAYS", "7"))
# A unit owing a written reply (书面答复) is reminded this many days before its due date …
SHANGLIANG_REPLY_REMIND_BEFORE_DAYS = int(os.environ.get("SHANGLIANG_REPLY_REMIND_BEFORE_DAYS", "3"))
# … told on the day it is overdue, and escalated to the supervision board this many days after.
SHANGLIANG_REPLY_ESCALATE_DAYS = int(os.environ.get("SHANGLIANG_REPLY_ESCALATE_DAYS", "5"))

# --- verified mobiles: one-time SMS codes (accounts.verification) ---
SHANGLIANG_CODE_MINUTES = int(os.environ.get("SHANGLIANG_CODE_MINUTES", "5"))  # a code's life
SHANGLIANG_CODE_TRIES = int(os.environ.get("SHANGLIANG_CODE_TRIES", "5"))  # wrong entries before it is void
SHANGLIANG_CODE_RESEND_SECONDS = int(os.environ.get("SHANGLIANG_CODE_RESEND_SECONDS", "60"))  # wait before another

# --- message delivery (core.notify, core.dispatch): providers, retries, receipts ---
# console: texts are written to the log (a district without an SMS contract); aliyun or tencent: sent.
SHANGLIANG_SMS_PROVIDER = os.environ.get("SHANGLIANG_SMS_PROVIDER", "console").strip().lower()
if SHANGLIANG_SMS_PROVIDER not in {"console", "aliyun", "tencent"}:
    raise ImproperlyConfigured("SHANGLIANG_SMS_PROVIDER must be console, aliyun or tencent.")
# Keys come from the environment only; template codes and sign names are set in the admin (消息模板).
SHANGLIANG_ALIYUN_SMS = {
    "access_key_id": os.environ.get("SHANGLIANG_ALIYUN_ACCESS_KEY_ID", ""),
    "access_key_secret": os.environ.get("SHANGLIANG_ALIYUN_ACCESS_KEY_SECRET", ""),
    "endpoint": os.environ.get("SHANGLIANG_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com"),
}
SHANGLIANG_TENCENT_SMS = {
    "secret_id": os.environ.get("SHANGLIANG_TENCENT_SECRET_ID", ""),
    "secret_key": os.environ.get("SHANGLIANG_TENCENT_SECRET_KEY", ""),
    "app_id": os.environ.get("SHANGLIANG_TENCENT_SMS_APP_ID", ""),
    "region": os.environ.get("SHANGLIANG_TENCENT_SMS_REGION", "ap-guangzhou"),
    "endpoint": os.environ.get("SHANGLIANG_TENCENT_SMS_ENDPOINT", "https://sms.tencentcloudapi.com"),
}
# The secret part of the receipt (回执) addresses given to the provider: /hooks/sms/<provider>/<token>/.
SHANGLIANG_SMS_RECEIPT_TOKEN = os.environ.get("SHANGLIANG_SMS_RECEIPT_TOKEN", "")
SHANGLIANG_WECHAT = {
    "app_id": os.environ.get("SHANGLIANG_WECHAT_APP_ID", ""),
    "app_secret": os.environ.get("SHANGLIANG_WECHAT_APP_SECRET", ""),
    "api_base": os.environ.get("SHANGLIANG_WECHAT_API_BASE", "https://api.weixin.qq.com/"),
    "oauth_base": os.environ.get("SHANGLIANG_WECHAT_OAUTH_BASE", "https://open.weixin.qq.com/connect/"),
}
# A text the gateway refused for a passing reason (rate limited, unreachable before sending) is sent
# again after 1, 2, 4 … minutes, at most this many times in all.
SHANGLIANG_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("SHANGLIANG_DELIVERY_MAX_ATTEMPTS", "5"))
# A message claimed by a sender that never answered within this many minutes is marked 结果不明.
SHANGLIANG_DELIVERY_STALE_MINUTES = int(os.environ.get("SHANGLIANG_DELIVERY_STALE_MINUTES", "10"))
# A session opens no earlier than this many hours before the notified start; earlier, the convener
# reschedules it with a new notice (改期), so the record and documents carry the real dates.
SHANGLIANG_SESSION_OPEN_MARGIN_HOURS = float(os.environ.get("SHANGLIANG_SESSION_OPEN_MARGIN_HOURS", "2"))
# Channel → sender class; the console sender logs messages until a real gateway is configured.
# Which channels each kind of message takes is core.notify.CHANNEL_POLICY.
_SMS_SENDERS = {
    "console": "shangliang.core.senders.ConsoleSender",
    "aliyun": "shangliang.core.sms.AliyunSender",
    "tencent": "shangliang.core.sms.TencentSender",
}
SHANGLIANG_SENDERS = {
    "sms": os.environ.get("SHANGLIANG_SMS_SENDER", _SMS_SENDERS[SHANGLIANG_SMS_PROVIDER]),
    "wechat": os.environ.get(
        "SHANGLIANG_WECHAT_SENDER",
        "shangliang.accounts.wechat.WeChatSender"
        if SHANGLIANG_WECHAT["app_id"]
        else "shangliang.core.senders.ConsoleSender",
    ),
}
# Units are reminded this many days before an assignment's deadline.
SHANGLIANG_REMIND_BEFORE_DAYS = int(os.environ.get("SHANGLIANG_REMIND_BEFORE_DAYS", "3"))
# An overdue assignment is escalated to the unit's head after this many days.
SHANGLIANG_ESCALATE_HEAD_DAYS = int(os.environ.get("SHANGLIANG_ESCALATE_HEAD_DAYS", "3"))
# … and to the district supervision board after this many days.
SHANGLIANG_ESCALATE_BOARD_DAYS = int(os.environ.get("SHANGLIANG_ESCALATE_BOARD_DAYS", "7"))
# A government body replies in writing to an entrusted matter within this many days.
SHANGLIANG_REPLY_DAYS = int(os.environ.get("SHANGLIANG_REPLY_DAYS", "10"))
# A unit may return a wrongly assigned item within this many days of receiving it.
SHANGLIANG_RETURN_DAYS = int(os.environ.get("SHANGLIANG_RETURN_DAYS", "5"))
# Results are published within this many days of the last item being finished.
SHANGLIANG_PUBLISH_DAYS = int(os.environ.get("SHANGLIANG_PUBLISH_DAYS", "7"))
# A matter handed to another channel (handoffs) is flagged when no answer came this many days after it was handed.
SHANGLIANG_HANDOFF_ANSWER_DAYS = int(os.environ.get("SHANGLIANG_HANDOFF_ANSWER_DAYS", "30"))
# A hotline record nobody repeated for this many days stops waiting for others to join it (hotline.issues.prune).
SHANGLIANG_HOTLINE_SINGLE_DAYS = int(os.environ.get("SHANGLIANG_HOTLINE_SINGLE_DAYS", "180"))
# Residents' ratings: a follow-up (回访重办) starts when the unsatisfied share exceeds this …
SHANGLIANG_UNSATISFIED_THRESHOLD = float(os.environ.get("SHANGLIANG_UNSATISFIED_THRESHOLD", "0.3"))
# … once at least this many ratings are counted.
SHANGLIANG_MIN_RATINGS = int(os.environ.get("SHANGLIANG_MIN_RATINGS", "5"))
# A follow-up is to be finished within this many days.
SHANGLIANG_FOLLOW_UP_DAYS = int(os.environ.get("SHANGLIANG_FOLLOW_UP_DAYS", "30"))


def _deadline_counting() -> dict[str, str]:
    """How each deadline counts its days: "calendar" (自然日) or "working" (工作日: the official holiday table
    with 调休 plus the local days set in the admin, ``core.workdays``); the day it starts from is never
    counted. SHANGLIANG_DEADLINE_COUNTING="return=working,follow_up=working" overrides; a key or a mode
    it does not know stops the start-up, so a typo cannot leave a deadline counted the other way."""
    counting = {
        "assignment": "calendar",  # the deadline offered when an item is handed out (staff may change it)
        "reply": "working",  # the written reply to an entrusted matter (10日内书面答复, SHANGLIANG_REPLY_DAYS)
        "return": "calendar",  # returning a wrongly assigned item (SHANGLIANG_RETURN_DAYS)
        "publication": "calendar",  # publishing the results (SHANGLIANG_PUBLISH_DAYS)
        "follow_up": "calendar",  # finishing a follow-up (SHANGLIANG_FOLLOW_UP_DAYS)
        "dissent_explain": "calendar",  # explaining a dissent after the session (SHANGLIANG_DISSENT_EXPLAIN_DAYS)
        "plan": "calendar",  # planning an approved topic (SHANGLIANG_PLAN_REMIND_DAYS)
        "handoff_answer": "calendar",  # the answer to a hand-off (SHANGLIANG_HANDOFF_ANSWER_DAYS)
    }
    for item in env_list("SHANGLIANG_DEADLINE_COUNTING"):
        name, _, mode = (part.strip() for part in item.partition("="))
        if name not in counting or mode not in {"calendar", "working"}:
            raise ImproperlyConfigured(
                f"SHANGLIANG_DEADLINE_COUNTING: {item!r} must be key=calendar or key=working, "
                f"key one of {', '.join(counting)}."
            )
        counting[name] = mode
    return counting


SHANGLIANG_DEADLINE_COUNTING = _deadline_counting()

# A township passes the assessment's consultation count with at least this many held in the year.
SHANGLIANG_TOWNSHIP_MIN_CONSULTATIONS = int(os.environ.get("SHANGLIANG_TOWNSHIP_MIN_CONSULTATIONS", "2"))
