"""localmovies: a small Django app that imports TMDB's popular movies into Postgres.

The Celery app is loaded with Django so that `celery -A localmovies worker` finds it and
`import_movies.delay()` in a view uses the configured broker.
"""
from .celery import app as celery_app

__all__ = ("celery_app",)
