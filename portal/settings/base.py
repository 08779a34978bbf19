"""Base settings, read from the environment (or a ``.env`` file) with django-environ.

The defaults run the zero-setup demo: SQLite, Celery in eager mode, DEBUG off unless asked.
Production overrides live in ``portal.settings.production``; see docs/operations.md.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The demo key is only good for the local demo run; production refuses to start without its own.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="demo-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Before django.contrib.admin: its templates add "Events" (change history) buttons to
    # the admin's change forms and lists of tracked models.
    "pghistory.admin",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "axes",
    # The change history of records and settings (portal/history.py): PostgreSQL triggers.
    "pgtrigger",
    "pghistory",
    "portal",
    "dossiers",
    "surveys",
    "feedback",
    "reports",
    # Official evaluations and exports (issue 11): apps of their own inside reports.
    "reports.evaluations",
    "reports.exports",
]

MIDDLEWARE = [
    # Reads remembered for one request (the user's memberships: portal/request_memo.py).
    "portal.request_memo.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the change history records the user and path of each request.
    "portal.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # InvalidInput (portal.strict_input) on a page → 400 with its message (issue 13).
    "portal.middleware.InvalidInputMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# Django's form renderer with the plain <input> widgets written without templates (issue 14).
FORM_RENDERER = "portal.form_rendering.FastInputRenderer"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
# A persistent connection that PostgreSQL dropped (restart, failover, pg_terminate_backend) is
# noticed and replaced at the start of the next request instead of failing it (issue 13).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account+IP pair out after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address every limit uses (portal.http.client_ip, honouring DJANGO_NUM_PROXIES):
# behind a reverse proxy the pair is user name + real client, not user name + proxy.
AXES_CLIENT_IP_CALLABLE = "portal.throttling.axes_client_ip"
# Sign-in form POSTs per client address, whatever the user name (docs/security.md).
LOGIN_RATE_PER_IP = env.str("LOGIN_RATE_PER_IP", default="30/15m")
# Every portal.throttling limit at once (sign-in, tracking, surveys, feedback); never switch it
# off in production: the tests that send thousands of requests from one address do.
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day-first Vietnamese date input (02/01/2026 is 2 January); see portal/formats/vi/formats.py.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Content Security Policy (Django's own middleware): nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

REST_FRAMEWORK = {
    # Token first, so that a request without credentials gets 401 with
    # ``WWW-Authenticate: Token`` (DRF takes the header from the first class). Keys are stored
    # hashed (portal.models.ApiToken).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bounded in size and depth (portal/parsers.py, docs/security.md "Input").
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.api_schema.PortalAutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "anon": "60/min",
        "user": "600/min",
        # POST /api/v1/auth/token/ per client IP (ScopedRateThrottle on that view only).
        "auth_token": env.str("API_TOKEN_THROTTLE_RATE", default="5/min"),
        # Survey answers by token (link, QR code) per client IP, and per kiosk device.
        "survey_submit": env.str("SURVEY_API_RATE", default="30/hour"),
        "survey_kiosk": env.str("SURVEY_KIOSK_RATE", default="120/hour"),
    },
    # Proxies in front of Django whose X-Forwarded-For is trusted for the client IP of rate
    # limits and django-axes (portal.http.client_ip); 0 uses REMOTE_ADDR.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "portal.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "One-stop-shop portal API",
    "DESCRIPTION": "API of the one-stop-shop service desk portal (bộ phận một cửa).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components, so write-only and read-only fields (e.g. the
    # token request and response) are described precisely.
    "COMPONENT_SPLIT_REQUEST": True,
    # Every error answer documented (401, 403, 429 everywhere; 400, 404, 406, 415 where they
    # apply), so the schema states each status the API may send (docs/security.md, "API
    # schema"); after the default hook that names enums.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api_schema.document_error_responses",
    ],
    # One name per choice set that several fields share (and distinct names for fields of
    # the same name with different choices), instead of names from whichever field came first.
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "dossiers.models.DossierStatus",
        "ReturnModeEnum": "dossiers.models.Procedure.ReturnMode",
        "ApplicantKindEnum": "dossiers.models.Dossier.ApplicantKind",
        "EventKindEnum": "dossiers.models.EventKind",
        "SurveyChannelEnum": "surveys.models.Response.Channel",
        "SurveyLinkChannelEnum": "surveys.api.LINK_CHANNELS",
        "SurveyScaleEnum": "surveys.models.Scale",
        "SurveyQuestionKindEnum": "surveys.models.ExtraQuestion.Kind",
        "FeedbackKindEnum": "feedback.models.Kind",
        "FeedbackChannelEnum": "feedback.models.Channel",
        "FeedbackPublicChannelEnum": "feedback.api.PUBLIC_CHANNEL_CHOICES",
        "FeedbackStaffChannelEnum": "feedback.api.STAFF_CHANNEL_CHOICES",
        "FeedbackStatusEnum": "feedback.models.Status",
        "FeedbackEventKindEnum": "feedback.models.EventKind",
        "FeedbackFindingEnum": "feedback.models.Finding",
        "ExportKindEnum": "reports.exports.models.ExportJob.Kind",
        "ExportFormatEnum": "reports.exports.models.ExportJob.Format",
        "ExportStateEnum": "reports.exports.models.ExportJob.State",
        "ExportTableEnum": "reports.exports.tables.TABLE_CHOICES",
    },
}

# Celery: eager in the demo run (no broker needed); a real Redis broker when CELERY_EAGER=False.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
# Above the longest task, so a late-acked task is not handed out twice while it still runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
# Late acknowledgement is set per task, only on idempotent ones (portal.tasks, reports tasks):
# a task whose worker dies mid-run is then handed out again (reject_on_worker_lost). It stays
# off by default, so a task that is not safe to run twice runs at most once.
CELERY_TASK_ACKS_LATE = False
# A worker reserves one message per process at a time: a slow PDF never holds back a quick
# notification queued behind it, and a killed worker loses at most the task it was running.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The result backend (Redis) answers within seconds or is given up, in workers too.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = env.float("CELERY_REDIS_SOCKET_CONNECT_TIMEOUT", default=2)
CELERY_REDIS_SOCKET_TIMEOUT = env.float("CELERY_REDIS_SOCKET_TIMEOUT", default=10)
# Web requests hand tasks over with this connect/socket timeout and no retry (portal/broker.py);
# after a failure they skip the broker for the back-off, and the periodic tasks deliver later.
CELERY_PUBLISH_TIMEOUT_SECONDS = env.float("CELERY_PUBLISH_TIMEOUT_SECONDS", default=0.5)
CELERY_PUBLISH_BACKOFF_SECONDS = env.float("CELERY_PUBLISH_BACKOFF_SECONDS", default=10)
# Workers consume "default" and "pdf" (docker-compose.yml); PDF tasks are routed to "pdf" here
# (Celery 6 drops the task's own ``queue`` attribute).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"reports.export_report": {"queue": "pdf"}}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Redis as the cache, with short timeouts and a per-process fallback while Redis is down
# (portal/cache.py): pages and rate limits degrade instead of failing.
REDIS_CACHE = {
    "BACKEND": "portal.cache.FaultTolerantRedisCache",
    "LOCATION": REDIS_URL,
    "OPTIONS": {
        "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.3),
        "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=0.5),
        "FALLBACK_RETRY_SECONDS": env.float("REDIS_FALLBACK_RETRY_SECONDS", default=5),
    },
}
if env.bool("USE_REDIS_CACHE", default=False):
    CACHES = {"default": REDIS_CACHE}
# Sessions in the database: a Redis outage neither signs anyone out nor fails a sign-in, and a
# sign-out during an outage cannot be undone by a stale cached copy once Redis is back.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="motcua@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every CSS file and font at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Portal settings (province-level choices; see docs/operations.md) ---
# Default desk hours, used when a desk does not set its own.
PORTAL_DEFAULT_OPENS_AT = env.str("PORTAL_DEFAULT_OPENS_AT", default="07:30")
PORTAL_DEFAULT_CLOSES_AT = env.str("PORTAL_DEFAULT_CLOSES_AT", default="17:00")
# The working calendar (days off, make-up working days) is one for the deployment: admins of a
# unit at this level (city / province) maintain it (R-DUE-1); "city", "district" or "commune".
PORTAL_CALENDAR_LEVEL = env.str("PORTAL_CALENDAR_LEVEL", default="city")
# Public address of the portal, used in messages and QR codes on slips.
PORTAL_PUBLIC_URL = env.str("PORTAL_PUBLIC_URL", default="http://127.0.0.1:8000")
# SMS gateway: a class with send(phone=, text=); the default only logs (masked).
PORTAL_SMS_BACKEND = env.str("PORTAL_SMS_BACKEND", default="portal.sms.LoggingSmsBackend")
# Periodic tasks (django-celery-beat's DatabaseScheduler copies these into its tables, where
# admins can pause or retime them).
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {"task": "portal.flush_outbox", "schedule": 60.0},
    # Sessions live in the database (SESSION_ENGINE): expired ones are deleted every night.
    "clear-expired-sessions": {
        "task": "portal.clear_sessions",
        "schedule": crontab(hour=3, minute=10),
    },
    "anonymise-expired-dossiers": {
        "task": "dossiers.anonymise_expired",
        "schedule": crontab(hour=2, minute=30),
    },
    "anonymise-expired-feedback": {
        "task": "feedback.anonymise_expired",
        "schedule": crontab(hour=2, minute=45),
    },
    # Reports (docs/reports.md): dirty buckets every 30 s, the recent months in full at night.
    "reports-recompute-dirty": {"task": "reports.recompute_dirty", "schedule": 30.0},
    "reports-rebuild-recent": {
        "task": "reports.rebuild_recent",
        "schedule": crontab(hour=1, minute=15),
    },
    # Export jobs (docs/operations.md): silent workers' jobs re-queued or failed; old files deleted.
    "reports-exports-sweep-stale": {"task": "reports.exports_sweep_stale", "schedule": 60.0},
    "reports-exports-expire": {"task": "reports.exports_expire", "schedule": crontab(minute=5)},
}
# Days after a dossier is closed (a feedback item finished) before the applicant's (sender's)
# personal data is blanked (R-PRIV-1, Law on Personal Data Protection 2025); 0 keeps it for
# ever. Default: five years.
PORTAL_PERSONAL_DATA_RETENTION_DAYS = env.int("PORTAL_PERSONAL_DATA_RETENTION_DAYS", default=1825)

# --- Input bounds (issue 13; portal/strict_input.py, portal/parsers.py, docs/security.md) ---
# Dates accepted in filters, forms and actions (ISO): outside, a 400 with a clear message.
PORTAL_DATE_MIN = env.str("PORTAL_DATE_MIN", default="1990-01-01")
PORTAL_DATE_MAX = env.str("PORTAL_DATE_MAX", default="2100-12-31")
# A JSON body of the API: bytes, and levels of nested arrays and objects.
PORTAL_JSON_MAX_BYTES = env.int("PORTAL_JSON_MAX_BYTES", default=2 * 1024 * 1024)
PORTAL_JSON_MAX_DEPTH = env.int("PORTAL_JSON_MAX_DEPTH", default=10)
# Documents received with one dossier (the receipt slip lists them all), and items of one
# supplement request.
DOSSIER_DOCUMENTS_MAX = env.int("DOSSIER_DOCUMENTS_MAX", default=50)
DOSSIER_SUPPLEMENT_ITEMS_MAX = env.int("DOSSIER_SUPPLEMENT_ITEMS_MAX", default=50)
# Answers (criteria plus extra questions) in one survey sheet; the default form has 19 + 3.
SURVEY_ANSWERS_MAX = env.int("SURVEY_ANSWERS_MAX", default=100)

# --- Satisfaction surveys (R-SUR-2, R-SUR-3; see docs/surveys.md) ---
# Days a survey link stays valid after it is issued.
SURVEY_INVITATION_DAYS = env.int("SURVEY_INVITATION_DAYS", default=30)
# Results built on fewer responses are flagged as a small sample (never hidden).
SURVEY_SMALL_SAMPLE = env.int("SURVEY_SMALL_SAMPLE", default=30)
# Overall index: "mean_of_areas" (mean of the area indices) or "mean_of_criteria".
SURVEY_INDEX_AGGREGATION = env.str("SURVEY_INDEX_AGGREGATION", default="mean_of_areas")

# Public tracking (dossiers /tra-cuu/ and feedback, pages and API; R-PRIV-1): rates are
# "count/period" (20/m, 5/15m, 30/hour), several windows separated by commas (back-off). Per
# client IP on every look-up; on wrong PINs only (an unknown code counts the same, so the
# limit reveals nothing): per code and IP, per code from anywhere (a higher ceiling), and per
# IP on all codes. The numbers and why: docs/security.md, "Abuse limits".
TRACKING_RATE_PER_IP = env.str("TRACKING_RATE_PER_IP", default="20/m")
TRACKING_RATE_PER_CODE_IP = env.str("TRACKING_RATE_PER_CODE_IP", default="5/15m,10/d")
TRACKING_RATE_PER_CODE = env.str("TRACKING_RATE_PER_CODE", default="20/h,50/d,100/7d")
TRACKING_FAILS_PER_IP = env.str("TRACKING_FAILS_PER_IP", default="30/h,100/d")
# Days the QR link printed on a receipt slip stays valid (the code and PIN always work).
TRACKING_TOKEN_MAX_AGE_DAYS = env.int("TRACKING_TOKEN_MAX_AGE_DAYS", default=365)

# The public desk directory (/bo-phan-mot-cua/) is cached; any change to a desk, unit or
# procedure refreshes it at once, and every entry expires after this many seconds anyway.
DIRECTORY_CACHE_SECONDS = env.int("DIRECTORY_CACHE_SECONDS", default=300)

# Public survey forms (link, QR code, kiosk setup) accept this many POSTs per client address
# ("30/h": 30 an hour; s, m, h, d), and a kiosk this many per device (portal.throttling, on
# the default cache: Redis in production).
SURVEY_RATE_PER_IP = env.str("SURVEY_RATE_PER_IP", default="30/h")
# The survey code typed at the front door: every try counts per client address, as the
# tracking look-up does (a code is 10 characters of 31: guessing is hopeless at this rate).
SURVEY_CODE_RATE_PER_IP = env.str("SURVEY_CODE_RATE_PER_IP", default="20/m")
SURVEY_RATE_PER_KIOSK = env.str("SURVEY_RATE_PER_KIOSK", default="120/h")
# A kiosk form left half-filled goes back to a blank one after this many seconds untouched.
SURVEY_KIOSK_IDLE_SECONDS = env.int("SURVEY_KIOSK_IDLE_SECONDS", default=90)

# --- Feedback and complaints (R-FB-1..4; see docs/feedback.md) ---
# Attachments live here, outside MEDIA_ROOT and the static files: no URL serves this folder,
# staff download through a checked view. STORAGES["feedback"] (e.g. a private bucket) wins.
FEEDBACK_FILES_ROOT = env.path("FEEDBACK_FILES_ROOT", default=BASE_DIR / "private" / "feedback")
# Attachments per item, size of one (bytes) and of all together.
FEEDBACK_ATTACHMENTS_MAX_COUNT = env.int("FEEDBACK_ATTACHMENTS_MAX_COUNT", default=10)
FEEDBACK_ATTACHMENT_MAX_BYTES = env.int("FEEDBACK_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
FEEDBACK_ATTACHMENTS_MAX_TOTAL_BYTES = env.int(
    "FEEDBACK_ATTACHMENTS_MAX_TOTAL_BYTES", default=20 * 1024 * 1024
)
# Longest text accepted for an item's content, a reply or a published text (characters).
FEEDBACK_TEXT_MAX_CHARS = env.int("FEEDBACK_TEXT_MAX_CHARS", default=10000)
# Days after a written answer during which the sender may dispute it and reopen the item.
FEEDBACK_REOPEN_DAYS = env.int("FEEDBACK_REOPEN_DAYS", default=30)
# Public submissions (pages and API together) per client address (portal.throttling rates).
FEEDBACK_SUBMIT_RATE = env.str("FEEDBACK_SUBMIT_RATE", default="10/h")

# --- Reports (R-IND-1..8; see docs/reports.md) ---
# Months the nightly task rebuilds in full (the current one and the ones before it).
REPORTS_REBUILD_MONTHS = env.int("REPORTS_REBUILD_MONTHS", default=2)
# Days per transaction of a range rebuild (its progress is committed with each chunk).
REPORTS_RECOMPUTE_CHUNK_DAYS = env.int("REPORTS_RECOMPUTE_CHUNK_DAYS", default=31)
# Dirty buckets recomputed per run of the beat task.
REPORTS_DIRTY_BATCH = env.int("REPORTS_DIRTY_BATCH", default=5000)
# A unit whose rate rests on fewer cases (completed dossiers, received dossiers, survey
# responses) is listed in rankings but not ranked.
REPORTS_RANKING_MIN_SAMPLE = env.int("REPORTS_RANKING_MIN_SAMPLE", default=10)
# Longest custom period a report covers, in years.
REPORTS_MAX_PERIOD_YEARS = env.int("REPORTS_MAX_PERIOD_YEARS", default=10)
# Recompute a change's buckets right after its commit (the demo run, which has no beat task).
REPORTS_RECOMPUTE_ON_COMMIT = env.bool("REPORTS_RECOMPUTE_ON_COMMIT", default=False)
# Form code whose overall index is "the" satisfaction index; empty: the most answered form.
REPORTS_SATISFACTION_FORM = env.str("REPORTS_SATISFACTION_FORM", default="")
# Seconds a dashboard page stays in the shared cache at most (it is rebuilt as soon as rollups,
# targets or weights change, or the day changes; reports/cache.py); 0: no page cache.
REPORTS_PAGE_CACHE_SECONDS = env.int("REPORTS_PAGE_CACHE_SECONDS", default=300)

# --- Official evaluations and exports (R-IND-6, R-IND-7; docs/evaluations.md, operations.md) ---
# A staff scorecard shows the satisfaction of an official's applicants from this many answers.
REPORTS_SCORECARD_MIN_RESPONSES = env.int("REPORTS_SCORECARD_MIN_RESPONSES", default=10)
# Export files live here (private: no URL serves it); STORAGES["exports"] replaces it.
REPORTS_EXPORTS_ROOT = env.path("REPORTS_EXPORTS_ROOT", default=BASE_DIR / "private" / "exports")
# Hours a finished export file is kept before the hourly task deletes it.
REPORTS_EXPORT_TTL_HOURS = env.int("REPORTS_EXPORT_TTL_HOURS", default=24)
# A queued or running job without a sign of life for this long is re-queued (then failed after
# REPORTS_EXPORT_MAX_ATTEMPTS); keep it above REPORTS_PDF_TIME_LIMIT (a PDF is laid out in one go).
REPORTS_EXPORT_STALE_SECONDS = env.int("REPORTS_EXPORT_STALE_SECONDS", default=900)
REPORTS_EXPORT_MAX_ATTEMPTS = env.int("REPORTS_EXPORT_MAX_ATTEMPTS", default=2)
# Soft and hard time limits of a PDF report task (queue "pdf"), in seconds.
REPORTS_PDF_SOFT_TIME_LIMIT = env.int("REPORTS_PDF_SOFT_TIME_LIMIT", default=540)
REPORTS_PDF_TIME_LIMIT = env.int("REPORTS_PDF_TIME_LIMIT", default=600)
# A PDF report lists at most this many late dossiers; above, it prints a summary instead.
REPORTS_PDF_LATE_ROWS_MAX = env.int("REPORTS_PDF_LATE_ROWS_MAX", default=1000)

# --- Change history (issue 13 part 7; portal/history.py, docs/security.md) ---
# The admin's "Events" page reads every history table at once (one UNION): it lists nothing
# until a filter (object, model, label, date) or a search narrows it. Each history table also
# has a page of its own in the admin.
PGHISTORY_ADMIN_MODEL = "pghistory.MiddlewareEvents"
PGHISTORY_ADMIN_CLASS = "portal.admin_history.HistoryEventsAdmin"
PGHISTORY_ADMIN_ALL_EVENTS = False
PGHISTORY_ADMIN_LIST_DISPLAY = [
    "pgh_created_at",
    "pgh_label",
    "pgh_obj_model",
    "pgh_obj_id",
    "pgh_diff",
    "user",
    "url",
]
