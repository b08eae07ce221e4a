"""The Celery app of the fixed variant: Redis broker from CELERY_BROKER_URL or REDIS_URL."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localmovies.settings")

app = Celery("localmovies")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
