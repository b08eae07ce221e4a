"""A small client of the books lookup API (Open Library's shape) over urllib:
GET {BOOKS_API_BASE}/isbn/{isbn}.json (an edition) and GET {BOOKS_API_BASE}/authors/{key}.json."""
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

log = logging.getLogger(__name__)


class BooksApiError(Exception):
    """The books API answered with an error, or not at all."""


def edition(isbn):
    """The edition record for an ISBN, or None when the API knows no such ISBN (404)."""
    return _get(f"/isbn/{isbn}.json", missing_ok=True)


def author(key):
    """The author record for a key like OL23919A."""
    return _get(f"/authors/{key}.json", missing_ok=False)


def _get(path, missing_ok):
    url = f"{settings.BOOKS_API_BASE}{path}"
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "bookshelf/1.0"})
    try:
        with urllib.request.urlopen(request, timeout=settings.BOOKS_API_TIMEOUT) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        if e.code == 404 and missing_ok:
            return None
        raise BooksApiError(f"GET {path}: HTTP {e.code}") from e
    except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as e:
        raise BooksApiError(f"GET {path}: {e}") from e
