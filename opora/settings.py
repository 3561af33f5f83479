"""Settings of Opora.

Development defaults work with no environment at all (SQLite in ``var/``); production is
switched on by ``OPORA_ENV=production`` and then requires ``SECRET_KEY`` and
``ALLOWED_HOSTS`` from the environment.
"""

import os
from pathlib import Path

import dj_database_url
from django.contrib.messages import constants as message_constants
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("OPORA_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = os.environ.get("OPORA_ENV") == "production"


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"Переменная окружения {name} должна быть целым неотрицательным числом, а не «{value}»."
        )
    return int(value)


def _env_networks(name: str, default: str) -> list[str]:
    import ipaddress

    specs = [spec.strip() for spec in os.environ.get(name, default).split(",") if spec.strip()]
    for spec in specs:
        try:
            ipaddress.ip_network(spec, strict=False)
        except ValueError:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"В переменной окружения {name} «{spec}» — не адрес и не сеть (пример: 10.0.0.0/8)."
            ) from None
    return specs


# Published with the source code: good for a laptop, refused in production.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-opora-change-me-in-production"
# Off by default, also for `make run`: the demo shows the Russian error pages a user will see;
# a developer who wants Django's debug pages sets OPORA_DEBUG=1.
DEBUG = not PRODUCTION and os.environ.get("OPORA_DEBUG", "0") == "1"

if PRODUCTION:
    from django.core.exceptions import ImproperlyConfigured

    for _name in ("SECRET_KEY", "ALLOWED_HOSTS"):
        if not os.environ.get(_name):
            raise ImproperlyConfigured(
                f"В режиме эксплуатации (OPORA_ENV=production) задайте переменную окружения {_name}."
            )
    SECRET_KEY = os.environ["SECRET_KEY"]
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "В режиме эксплуатации (OPORA_ENV=production) нельзя использовать ключ разработки "
            "SECRET_KEY: он опубликован в исходном коде. Задайте свою длинную случайную строку."
        )
    ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
    CSRF_TRUSTED_ORIGINS = [
        o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
    ]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "opora.core",
    "opora.accounts",
    "opora.registry",
    "opora.people",
    "opora.roadmaps",
    "opora.assessment",
    "opora.reviews",  # only the history of migrations; see its __init__
    "opora.recommendations",
    "opora.expertise",
    "opora.interviews",
    "opora.monitoring",
    "opora.surveys",
    "opora.risks",
    "opora.development",
    "opora.information",
    "opora.coaching",
    "opora.documents",
    "opora.notifications",
    "opora.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "opora.core.middleware.SlidingSession",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opora.accounts.admin_gate.AdminGate",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "opora.core.middleware.RequestMemo",
    "opora.core.middleware.NoStoreForSignedIn",
    "opora.core.middleware.MethodNotAllowedPage",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opora.urls"
WSGI_APPLICATION = "opora.wsgi.application"

# Message tags are Bootstrap's alert tones: an error is «danger».
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "opora" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "opora.core.context_processors.navigation",
            ],
            "builtins": ["opora.core.templatetags.ru", "opora.core.templatetags.tones"],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'opora.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite),
        # Seconds a worker keeps its database connection: opening one per request costs a
        # PostgreSQL backend process each time (bench/load.py: half the throughput).
        conn_max_age=_env_int("OPORA_DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiling costs ~160 ms on the short grouped queries of our pages (bench/roadmaps.py).
    # (Options given in the URL, such as ``?currentSchema=…``, are kept beside it.)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, [_options.get("options", ""), "-c jit=off"]))
    # Parameters sent apart from the statement, and a statement a connection has run a few
    # times prepared once: a page asks the same statements on every request, and parsing and
    # planning them was a third of PostgreSQL's work (bench/load.py, the region's home: 11.4
    # → 6.5 ms of the server's CPU a request, 33 → 70 requests/s). A pooler in transaction
    # mode that cannot keep prepared statements (PgBouncer before 1.21) needs
    # OPORA_DB_PREPARE_THRESHOLD=0.
    _options.setdefault("server_side_binding", True)
    _prepare = _env_int("OPORA_DB_PREPARE_THRESHOLD", 5)
    _options.setdefault("prepare_threshold", _prepare if _prepare > 0 else None)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password reset link is valid for a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# E-mail (password reset): printed to the console in development, SMTP in production.
if PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": _env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("EMAIL_USE_TLS", "1") == "1",
                "use_ssl": os.environ.get("EMAIL_USE_SSL", "0") == "1",
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Where the links in e-mail lead (the address users open Opora at).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Опора <opora@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Lock a username per address only: failures from one address never lock that user out for
# everyone (a school behind one NAT must not lock out its neighbours, nobody can lock out
# `region`). An address is locked as a whole after OPORA_LOGIN_FAILURES_PER_ADDRESS failures
# over any user names (accounts/lockout.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "opora.accounts.lockout.AddressAwareHandler"
AXES_CLIENT_IP_CALLABLE = "opora.accounts.addresses.client_address"
OPORA_LOGIN_FAILURES_PER_ADDRESS = _env_int("OPORA_LOGIN_FAILURES_PER_ADDRESS", 20)
# How many reverse proxies in front of the application append to X-Forwarded-For: the client
# address is that many entries from the right. Production runs behind one (README), development
# behind none, where the header is ignored.
OPORA_TRUSTED_PROXIES = _env_int("OPORA_TRUSTED_PROXIES", 1 if PRODUCTION else 0)

# /admin/: only staff users, only from these networks (comma-separated CIDRs); everyone else
# gets 404. Switched off entirely with OPORA_ADMIN_ENABLED=0.
OPORA_ADMIN_ENABLED = os.environ.get("OPORA_ADMIN_ENABLED", "1") == "1"
OPORA_ADMIN_NETWORKS = _env_networks(
    "OPORA_ADMIN_NETWORKS", "127.0.0.1/32,::1/128" if PRODUCTION else "0.0.0.0/0,::/0"
)

LANGUAGE_CODE = "ru"
LOCALE_PATHS = [BASE_DIR / "opora" / "locale"]
TIME_ZONE = "Asia/Tomsk"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "opora" / "static"]
# Outside production the assets are served from where they lie, without collectstatic, also
# with DEBUG off (the demo's default).
WHITENOISE_USE_FINDERS = not PRODUCTION
# Front-end assets come from the npm registry at set-up (``npm ci``); only their dist folders.
_assets = BASE_DIR / "node_modules"
for _prefix, _folder in (
    ("vendor/bootstrap", "bootstrap/dist"),
    ("vendor/bootstrap-icons", "bootstrap-icons/font"),
    ("vendor/htmx", "htmx.org/dist"),
    ("vendor/chartjs", "chart.js/dist"),
):
    if (_assets / _folder).exists():
        STATICFILES_DIRS.append((_prefix, _assets / _folder))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"

# File intake (opora.core.intake): one set of limits for every file a user hands in.
# A file as uploaded through a page:
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# How far an Office file (.docx, .xlsx) may unpack, by how it is read: a Word document or a
# roadmap is held whole in memory (python-docx, openpyxl), a table is read row by row, results
# are streamed. A file read from a path by a command is refused past the same number.
MAX_UNPACKED_BYTES = {
    "document": 50 * 1024 * 1024,
    "table": 100 * 1024 * 1024,
    "results": 400 * 1024 * 1024,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
# School computers are shared: a session ends after this long without a request (a request
# extends it, at most once a minute: opora.core.middleware.SlidingSession) and when the
# browser is closed.
SESSION_COOKIE_AGE = _env_int("OPORA_SESSION_IDLE_MINUTES", 45) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# Every asset is served from here (whitenoise), so nothing else is allowed. Scripts and style
# sheets come from files; the two inline blocks left carry the request's nonce. Event-handler
# attributes are replaced by data attributes (static/js/opora.js). style="" attributes stay
# allowed: they are layout, not code, and CSS cannot run a script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap draws its icons as data: SVG
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Questionnaires: answers accepted per hour through one school's anonymous link from one
# address (a class behind the school's one address answers together; a script does not).
OPORA_SURVEY_ANSWERS_PER_ADDRESS = _env_int("OPORA_SURVEY_ANSWERS_PER_ADDRESS", 300)

# The academic year a list is fixed for; None means "the current calendar year".
OPORA_CURRENT_YEAR = int(os.environ["OPORA_YEAR"]) if os.environ.get("OPORA_YEAR") else None
