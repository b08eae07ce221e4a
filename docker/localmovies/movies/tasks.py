"""Celery tasks of the fixed variant."""
from celery import shared_task

from .importer import run_job


@shared_task(name="movies.import_movies")
def import_movies(job_id):
    run_job(job_id)
