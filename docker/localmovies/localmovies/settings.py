"""Settings, all from the environment (twelve-factor): see README.md for the variables."""
import os
from urllib.parse import unquote, urlparse


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def database_from_env():
    """DATABASE_URL (postgres://user:pass@host:port/db) wins; else the POSTGRES_* variables."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        u = urlparse(url)
        if u.scheme not in ("postgres", "postgresql"):
            raise ValueError(f"DATABASE_URL must start with postgres://, got {u.scheme}://")
        return {
            "NAME": unquote(u.path.lstrip("/")),
            "USER": unquote(u.username or ""),
            "PASSWORD": unquote(u.password or ""),
            "HOST": u.hostname or "localhost",
            "PORT": str(u.port or 5432),
        }
    user = os.environ.get("POSTGRES_USER", "postgres")
    return {
        "NAME": os.environ.get("POSTGRES_DB", user),
        "USER": user,
        "PASSWORD": os.environ.get("POSTGRES_PASSWORD", ""),
        "HOST": os.environ.get("POSTGRES_HOST", "localhost"),
        "PORT": os.environ.get("POSTGRES_PORT", "5432"),
    }


# A sample app: the fallback key only signs nothing of value (no sessions, no auth).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "localmovies-sample-app-fallback-key-0123456789-abcdefghijklmnop")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["*"]

# "incident" (the production pattern) or "fixed" (the senior fixes); baked into each image target.
VARIANT = os.environ.get("LOCALMOVIES_VARIANT", "fixed")
if VARIANT not in ("incident", "fixed"):
    raise ValueError(f"LOCALMOVIES_VARIANT must be incident or fixed, got {VARIANT!r}")

INSTALLED_APPS = ["movies"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",  # the JSON API views are csrf_exempt
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "localmovies.urls"
WSGI_APPLICATION = "localmovies.wsgi.application"
APPEND_SLASH = False
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", **database_from_env()}}
DATABASES["default"]["OPTIONS"] = {"connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5)}

# TMDB v3. Tests and smokestack point TMDB_API_BASE at a mock; the default is the real API.
TMDB_API_BASE = os.environ.get("TMDB_API_BASE", "https://api.themoviedb.org").rstrip("/")
TMDB_API_KEY = os.environ.get("TMDB_API_KEY", "")
TMDB_TIMEOUT = env_int("TMDB_TIMEOUT", 10)  # seconds per TMDB call
TMDB_RETRIES = env_int("TMDB_RETRIES", 5)  # fixed variant: retries of a 429/5xx/network error
IMPORT_PAGES = env_int("IMPORT_PAGES", 5)  # pages when POST /api/import does not say
IMPORT_MAX_PAGES = 500  # TMDB serves no page past 500

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "redis://localhost:6379/0"
CELERY_TASK_IGNORE_RESULT = True  # job state lives in the ImportJob table
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [pid:%(process)d] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "movies": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
