"""Réalisa settings: one file, driven by environment variables (listed in the README)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext

django_stubs_ext.monkeypatch()  # generic admin and querysets at run time, as in the type stubs

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envsecret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def generated_secret(path: Path) -> str:
    """The embedded default's secret key: made once, kept in the private data folder."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DATA_DIR = Path(env("REALISA_DATA_DIR", str(BASE_DIR / "data")))
DEBUG = envbool("DEBUG")
DEMO_MODE = envbool("REALISA_DEMO")
# A key generated into the data folder is a convenience of the demo and of development
# only: without DEBUG or REALISA_DEMO, a system check refuses it (accounts/checks.py).
given_secret_key = envsecret("SECRET_KEY")  # read once: it may come from a file
SECRET_KEY_GENERATED = not given_secret_key
SECRET_KEY = given_secret_key or generated_secret(DATA_DIR / "secret_key")
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "realisa.apps.RealisaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "axes",
    "realisa.accounts",
    "realisa.organisations",
    "realisa.dossiers",
    "realisa.certificates",
    "realisa.audit",
    "realisa.documents",
    "realisa.funder",
    "realisa.notifications",
    "realisa.webhooks",
    "realisa.demo",
    "ninja",  # serves the API documentation's Swagger UI from our static files, no CDN
    "realisa.api",
]

MIDDLEWARE = [
    "realisa.lib.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "realisa.api.middleware.ApiRequestMiddleware",  # API: body size (413), NUL (400), problems
    "realisa.lib.nul_characters.NulCharacterMiddleware",  # a NUL anywhere: the 400 page
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "realisa.accounts.middleware.SessionLifetimeMiddleware",
    "realisa.lib.refusals.RefusalMiddleware",  # a Refused escaping a view: its 403/409/400
    # Last, as django-axes asks: it turns a lockout into the French lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "realisa.urls"
WSGI_APPLICATION = "realisa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "realisa.context_processors.portal",
            ],
            "builtins": ["realisa.lib.templatetags.hours", "realisa.lib.templatetags.french"],
        },
    },
]

# SQLite (a file in the data folder) unless DATABASE_URL names another database.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'realisa.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock when the transaction starts, so two writers never
        # deadlock half-way through (SQLite's default is DEFERRED).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Behind PgBouncer in transaction mode, no cursor may outlive its transaction: the CSV
    # exports then read their rows in one go instead of streaming them (docs/operations.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool("DB_DISABLE_SERVER_SIDE_CURSORS")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out username + IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends 15 minutes after it began
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_ENABLE_ADMIN = False  # agents are not superusers; the lock expires on its own
AXES_VERBOSE = False
# The lock is per client, not per reverse proxy: the same address as the audit's.
AXES_CLIENT_IP_CALLABLE = "realisa.lib.client_ip.client_ip"
# A session ends after 30 minutes without a request, and 12 hours after login at most;
# accounts.middleware.SessionLifetimeMiddleware touches it at most once a minute (rather
# than SESSION_SAVE_EVERY_REQUEST). Django rotates the key at login.
SESSION_COOKIE_AGE = 30 * 60
SESSION_MAX_LIFETIME = 12 * 60 * 60
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves what `collectstatic` wrote to STATIC_ROOT: names with their hash,
# compressed copies, cached for a year (WhiteNoise's manifest storage), and never looks in
# the source folders. The demo and development serve the source folders as they change.
COLLECTED_STATIC = not (DEBUG or DEMO_MODE)
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC

# Every uploaded or generated file is private: it lives outside the static tree and
# is served only by permission-checked views.
PRIVATE_STORAGE_ROOT = Path(env("PRIVATE_STORAGE_ROOT", str(DATA_DIR / "private")))
PRIVATE_STORAGE_FILESYSTEM = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_STORAGE_ROOT, "base_url": None},
}
# Or an S3-compatible bucket (private objects, never linked to: views stream them).
PRIVATE_STORAGE_S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": env("S3_BUCKET"),
        "endpoint_url": env("S3_ENDPOINT_URL") or None,
        "region_name": env("S3_REGION") or None,
        "access_key": env("S3_ACCESS_KEY_ID"),
        "secret_key": envsecret("S3_SECRET_ACCESS_KEY"),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    },
}
STORAGES = {
    "default": PRIVATE_STORAGE_S3 if env("PRIVATE_STORAGE") == "s3" else PRIVATE_STORAGE_FILESYSTEM,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if COLLECTED_STATIC
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
# Uploads are checked by their content (realisa.lib.uploads); this caps their size.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEMO_MODE or DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Réalisa <ne-pas-repondre@realisa.localhost>")

# Background work: Celery with a broker (Redis) at scale. Without one, what a request asks
# for after its response (run_later: e-mails, webhooks) runs in a thread of the process
# (realisa.lib.background; tests set BACKGROUND_THREAD off and run the jobs themselves),
# and other tasks (the month-start batch, the beat's) run eagerly where they are called.
BACKGROUND_THREAD = True
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Rate limits (realisa/accounts/ratelimit.py) count in Redis when this names one (by
# default the broker, when it is Redis), otherwise in the database: either way every
# process counts into the same place.
RATE_LIMIT_REDIS_URL = env(
    "RATE_LIMIT_REDIS_URL",
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "",
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING, below
# A batch survives a worker killed mid-way: a chunk of PDFs is acknowledged only once done
# and handed back at once when its worker process dies (certificates/tasks.py); when the
# whole worker dies, Redis hands it out again after CELERY_VISIBILITY_TIMEOUT seconds (a
# chunk of 50 PDFs takes well under a minute). Each worker takes one task at a time.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 600)}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "realisa")
# Beat's schedule is ``JOBS`` in realisa/celery.py (cron runs the same list without a
# broker); beat keeps its state in the data folder, in the portal's time zone.
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE

# The funder's follow-up: a month open for more than LATE_AFTER_DAYS without entry or
# certification is late; an organisation gets at most one reminder digest every
# REMINDER_INTERVAL_DAYS. Connection events are purged after 12 months (CNIL guidance);
# certification evidence is kept EVIDENCE_RETENTION_YEARS after the end of the year of
# the dossier's last payment.
LATE_AFTER_DAYS = envint("LATE_AFTER_DAYS", 10)
REMINDER_INTERVAL_DAYS = envint("REMINDER_INTERVAL_DAYS", 7)
# A month certified online awaits the beneficiary's answer: a reminder after
# ANSWER_REMINDER_DAYS (calendar) days, then, past ANSWER_DEADLINE_DAYS working days (French
# public holidays excluded, as EDOF counts), it is validated « sans réponse du bénéficiaire ».
ANSWER_REMINDER_DAYS = envint("ANSWER_REMINDER_DAYS", 3)
ANSWER_DEADLINE_DAYS = envint("ANSWER_DEADLINE_DAYS", 5)
# The region whose public holidays add to the national ones for working days (planned
# calendars, the answer's deadline): "" for none, « 57 » Moselle or « 6AE » Alsace (Good
# Friday and 26 December); the demo's funder is in Metz.
PUBLIC_HOLIDAYS_REGION = env("PUBLIC_HOLIDAYS_REGION", "57" if DEMO_MODE else "")
CONNECTION_LOG_RETENTION_DAYS = envint("CONNECTION_LOG_RETENTION_DAYS", 365)
EVIDENCE_RETENTION_YEARS = 3

# The funder that runs this portal: its identity is configuration, not code.
FUNDER_NAME = env("FUNDER_NAME", "Transitions Pro Grand Est")
FUNDER_EMAIL = env("FUNDER_EMAIL", "certificats@transitionspro-ge.localhost")
FUNDER_ADDRESS = env("FUNDER_ADDRESS", "1 place de la Gare, 57000 Metz")
FUNDER_LOGO = env("FUNDER_LOGO")

# The electronic seal (documents.sealing): without a PKCS#12, a local CA and seal certificate
# are generated in DATA_DIR/signing. Every seal carries its validation material (a DSS: the
# chain and the CA's CRL): PAdES B-B without a time-stamping authority, B-LT with one, and
# B-LTA (a document time-stamp over everything) unless SIGNING_PADES_LTA is off.
SIGNING_PKCS12_FILE = env("SIGNING_PKCS12_FILE")
SIGNING_PKCS12_PASSPHRASE = envsecret("SIGNING_PKCS12_PASSPHRASE")
SIGNING_TSA_URL = env("SIGNING_TSA_URL")
SIGNING_TSA_TIMEOUT = envint("SIGNING_TSA_TIMEOUT", 10)
SIGNING_TSA_ROOTS_FILE = env("SIGNING_TSA_ROOTS_FILE")
SIGNING_CRL_FILE = env("SIGNING_CRL_FILE")  # the production CA's CRL (DER or PEM)
SIGNING_PADES_LTA = envbool("SIGNING_PADES_LTA", True)

# The audit chain's HMAC key, kept outside the database (realisa/audit/keys.py); the old
# keys still verify the events they made. Without it, a key derived from SECRET_KEY.
AUDIT_HMAC_KEY = envsecret("AUDIT_HMAC_KEY")
AUDIT_HMAC_OLD_KEYS = envsecret("AUDIT_HMAC_OLD_KEYS").replace(",", " ").split()

# Certification 2's e-mailed code: 4 digits valid 15 minutes, as the funder's tutorial
# tells users (OWASP ASVS L2 asks 6 and 10: see docs/security.md for the compensations).
ONLINE_CODE_LENGTH = envint("ONLINE_CODE_LENGTH", 4)
ONLINE_CODE_TTL_MINUTES = envint("ONLINE_CODE_TTL_MINUTES", 15)
# « Certifier en lot »: one code for several months. The funder may switch it off, since its
# tutorial describes one code per certificate; each month is still sealed on its own.
BATCH_ONLINE_CERTIFICATION = envbool("BATCH_ONLINE_CERTIFICATION", True)

# The REST API (realisa/api, docs/api.md): requests per minute per token; webhooks go to
# HTTPS only (WEBHOOK_ALLOW_HTTP_LOOPBACK lets the tests use a receiver on 127.0.0.1).
API_RATE_LIMIT = envint("API_RATE_LIMIT", 120)
API_TOKEN_MAX_DAYS = envint("API_TOKEN_MAX_DAYS", 365)
WEBHOOK_TIMEOUT = envint("WEBHOOK_TIMEOUT", 10)
WEBHOOK_ALLOW_HTTP_LOOPBACK = False
# Encrypts the webhooks' secrets at rest (realisa/webhooks/cipher.py): one or more keys,
# comma-separated, the first encrypts. Empty: derived from SECRET_KEY (development, demo).
WEBHOOK_SECRET_KEY = envsecret("WEBHOOK_SECRET_KEY")

SESSION_COOKIE_HTTPONLY = True
HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
# the supervisor's and the load balancer's checks speak plain HTTP
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
# Preloading is a promise to browsers that is slow to take back (hstspreload.org): only
# when the operator asks for it. Django's deployment check warns without it; silenced.
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if envbool("TRUST_X_FORWARDED_PROTO"):  # behind a reverse proxy that terminates TLS
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies whose X-Forwarded-For names the client (realisa/lib/client_ip.py): how
# many stand in front ("1"), or their addresses and networks ("10.0.0.0/8,::1"). None by
# default: the client is the connection's peer, and the header, which anyone can write, is
# never read.
_PROXIES = env("TRUSTED_PROXIES").strip()
TRUSTED_PROXIES: int | list[str] = (
    int(_PROXIES) if _PROXIES.isdigit() else [p.strip() for p in _PROXIES.split(",") if p.strip()]
)
# Content Security Policy: only the portal's own scripts, styles and documents.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'self'"],  # the funder's review shows the PDF in the page
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "realisa.lib.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "realisa.lib.jsonlog.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if envbool("LOG_JSON") else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # With a broker, the worker's task lines (received, succeeded, failed) at INFO; in the
    # embedded default one line per eager task is noise, failures still show.
    "loggers": {
        "celery.app.trace": {"level": "INFO" if CELERY_BROKER_URL else "WARNING"},
        "realisa.tasks": {"level": "INFO" if CELERY_BROKER_URL else "WARNING"},
    },
}
