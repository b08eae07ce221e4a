"""The two TMDB imports, one per variant.

incident: every page fetched inside the HTTP request, one `update_or_create` per movie in
          autocommit — so a worker killed mid-import leaves the rows written so far.
fixed:    run by the Celery task; each page is one batched upsert (INSERT ... ON CONFLICT; Django
          3.2 in bookworm has no bulk_create(update_conflicts=...)) in a transaction together with
          the job's progress, so a page is stored completely or not at all.
"""
import datetime
import json
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from . import tmdb
from .models import ImportJob, Movie

log = logging.getLogger(__name__)


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def movie_fields(m):
    """TMDB list item -> Movie column values (without tmdb_id)."""
    return {
        "title": m.get("title") or m.get("original_title") or "",
        "overview": m.get("overview") or "",
        "release_date": parse_date(m.get("release_date")),
        "popularity": float(m.get("popularity") or 0),
        "vote_average": float(m.get("vote_average") or 0),
        "genres": list(m.get("genre_ids") or []),
    }


def import_sync(pages):
    """The incident's import: returns the number of movies written. Runs inside the request."""
    imported = 0
    for page in range(1, pages + 1):
        data = tmdb.popular_page(page)
        for m in data.get("results", []):
            Movie.objects.update_or_create(tmdb_id=m["id"], defaults=movie_fields(m))
            imported += 1
        log.info("import page %d/%d: %d movies so far", page, pages, imported)
        if page >= int(data.get("total_pages") or pages):
            break
    return imported


COLUMNS = ("tmdb_id", "title", "overview", "release_date", "popularity", "vote_average", "genres")


def upsert_page(job_id, results):
    """One page: one INSERT ... ON CONFLICT for all its movies, plus the job's progress, atomically."""
    # ON CONFLICT cannot touch one row twice in a statement: keep the last of a duplicated id.
    rows = {m["id"]: m for m in results if m.get("id") is not None}
    with transaction.atomic():
        if rows:
            table = connection.ops.quote_name(Movie._meta.db_table)
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s::jsonb, now())"] * len(rows))
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:] + ("updated_at",))
            params = []
            for tmdb_id, m in rows.items():
                f = movie_fields(m)
                params += [tmdb_id, f["title"], f["overview"], f["release_date"], f["popularity"],
                           f["vote_average"], json.dumps(f["genres"])]
            sql = (f"INSERT INTO {table} ({', '.join(COLUMNS)}, updated_at) VALUES {values} "
                   f"ON CONFLICT (tmdb_id) DO UPDATE SET {updates}")
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
        ImportJob.objects.filter(id=job_id).update(
            pages_done=F("pages_done") + 1, movies=F("movies") + len(rows), updated_at=timezone.now()
        )
    return len(rows)


def run_job(job_id):
    """The fixed variant's import of one job (resumes after pages_done when redelivered)."""
    job = ImportJob.objects.get(id=job_id)
    if job.status == "done":
        return
    ImportJob.objects.filter(id=job_id).update(status="running", updated_at=timezone.now())
    log.info("import job %s: %d pages, starting at page %d", job_id, job.pages_total, job.pages_done + 1)
    try:
        for page in range(job.pages_done + 1, job.pages_total + 1):
            data = tmdb.popular_page(page, retries=settings.TMDB_RETRIES)
            n = upsert_page(job_id, data.get("results", []))
            log.info("import job %s: page %d/%d, %d movies", job_id, page, job.pages_total, n)
            last = int(data.get("total_pages") or job.pages_total)
            if page >= last:  # TMDB has fewer pages than asked for
                ImportJob.objects.filter(id=job_id).update(pages_total=page)
                break
    except Exception as e:  # the job records why; the worker lives on
        log.exception("import job %s failed", job_id)
        ImportJob.objects.filter(id=job_id).update(status="failed", error=str(e)[:2000], updated_at=timezone.now())
        return
    ImportJob.objects.filter(id=job_id).update(status="done", updated_at=timezone.now())
    log.info("import job %s: done", job_id)
