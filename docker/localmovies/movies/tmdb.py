"""A tiny TMDB v3 client over urllib: GET /3/movie/popular, with optional retries.

The incident variant calls it with retries=0 (the production code had none); the fixed variant's
worker retries a 429 (after Retry-After), a 5xx or a network error with a capped back-off.
"""
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

log = logging.getLogger(__name__)


class TmdbError(Exception):
    """TMDB answered with an error, or not at all, after the allowed retries."""


def popular_page(page, retries=0):
    """One page (20 movies) of /3/movie/popular as TMDB's JSON: {page, results, total_pages, ...}."""
    query = {"language": "en-US", "page": str(page)}
    if settings.TMDB_API_KEY:
        query["api_key"] = settings.TMDB_API_KEY
    url = f"{settings.TMDB_API_BASE}/3/movie/popular?{urllib.parse.urlencode(query)}"
    attempt = 0
    while True:
        try:
            request = urllib.request.Request(url, headers={"Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=settings.TMDB_TIMEOUT) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            retryable = e.code == 429 or e.code >= 500
            if not retryable or attempt >= retries:
                raise TmdbError(f"TMDB page {page}: HTTP {e.code}") from e
            wait = retry_after(e) if e.code == 429 else backoff(attempt)
            log.warning("TMDB page %d: HTTP %d, retry %d/%d in %.1fs", page, e.code, attempt + 1, retries, wait)
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as e:
            if attempt >= retries:
                raise TmdbError(f"TMDB page {page}: {e}") from e
            wait = backoff(attempt)
            log.warning("TMDB page %d: %s, retry %d/%d in %.1fs", page, e, attempt + 1, retries, wait)
        attempt += 1
        time.sleep(wait)


def retry_after(error):
    """Seconds from a 429's Retry-After header (1 s when absent or unreadable, 10 s at most)."""
    try:
        return min(10.0, max(0.1, float(error.headers.get("Retry-After", "1"))))
    except ValueError:
        return 1.0


def backoff(attempt):
    return min(8.0, 0.5 * 2**attempt)
