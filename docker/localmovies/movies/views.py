"""HTTP endpoints: /healthz and the JSON API (its POST is csrf_exempt: API clients have no
CSRF cookie). Every answer is JSON but /healthz's plain "ok"."""
import json
import logging
import time
import uuid

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import importer, tmdb
from .models import ImportJob, Movie

log = logging.getLogger(__name__)
PAGE_SIZE = 20


def error(status, message):
    return JsonResponse({"error": message}, status=status)


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as e:
        return HttpResponse(f"database unavailable: {e}\n", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def movie_list(request):
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 0
    if page < 1:
        return error(400, "page must be a whole number >= 1")
    movies = Movie.objects.order_by("-popularity", "tmdb_id")
    total = movies.count()
    start = (page - 1) * PAGE_SIZE
    results = [m.as_json() for m in movies[start : start + PAGE_SIZE]]
    return JsonResponse({"page": page, "results": results, "total": total,
                         "total_pages": (total + PAGE_SIZE - 1) // PAGE_SIZE})


@require_GET
def movie_detail(request, tmdb_id):
    movie = Movie.objects.filter(tmdb_id=tmdb_id).first()
    if movie is None:
        return error(404, f"movie {tmdb_id} not found")
    return JsonResponse(movie.as_json())


def requested_pages(request):
    """`pages` from the query string, else from a JSON body, else IMPORT_PAGES."""
    raw = request.GET.get("pages")
    if raw is None and request.body:
        try:
            body = json.loads(request.body)
        except ValueError:
            raise ValueError("the body must be JSON like {\"pages\": 5}")
        raw = body.get("pages") if isinstance(body, dict) else None
    if raw is None:
        return settings.IMPORT_PAGES
    try:
        pages = int(raw)
    except (TypeError, ValueError):
        pages = 0
    if not 1 <= pages <= settings.IMPORT_MAX_PAGES:
        raise ValueError(f"pages must be a whole number from 1 to {settings.IMPORT_MAX_PAGES}")
    return pages


@csrf_exempt
@require_POST
def import_start(request):
    try:
        pages = requested_pages(request)
    except ValueError as e:
        return error(400, str(e))
    if settings.VARIANT == "incident":
        return import_now(pages)
    return import_later(pages)


def import_now(pages):
    """incident: the whole import inside this request (and inside gunicorn's worker timeout)."""
    started = time.monotonic()
    log.info("import: %d pages, synchronously", pages)
    try:
        imported = importer.import_sync(pages)
    except tmdb.TmdbError as e:
        log.error("import failed: %s", e)
        return error(502, str(e))
    log.info("import: %d movies in %.1fs", imported, time.monotonic() - started)
    return JsonResponse({"imported": imported, "pages": pages})


def import_later(pages):
    """fixed: record a job, hand it to the Celery worker, answer 202 at once."""
    from .tasks import import_movies  # celery only where it is used

    job = ImportJob.objects.create(pages_total=pages)
    try:
        import_movies.delay(str(job.id))
    except Exception as e:  # broker down: say so instead of leaving a job queued forever
        log.error("import job %s: cannot queue: %s", job.id, e)
        ImportJob.objects.filter(id=job.id).update(status="failed", error=f"cannot queue: {e}")
        return error(503, f"the job queue is unavailable: {e}")
    log.info("import job %s: queued, %d pages", job.id, pages)
    response = JsonResponse({"id": str(job.id), "status": job.status, "pages_total": pages}, status=202)
    response["Location"] = f"/api/import/{job.id}"
    return response


@require_GET
def import_status(request, job_id):
    try:
        key = uuid.UUID(job_id)
    except ValueError:
        return error(404, f"import job {job_id} not found")
    job = ImportJob.objects.filter(id=key).first()
    if job is None:
        return error(404, f"import job {job_id} not found")
    return JsonResponse(job.as_json())


def not_found(request, exception=None):
    return error(404, f"no such endpoint: {request.method} {request.path}")


def server_error(request):
    return error(500, "internal server error")
