"""Adding a book: the one place that turns an ISBN into a stored Book with its Authors. Both the
HTML form and the JSON API call it, synchronously, inside the request (so the request waits for
the books API: one edition call, then one call per author not yet stored)."""
import logging
import re

from django.db import IntegrityError, transaction

from . import books_api
from .models import Author, Book

log = logging.getLogger(__name__)


class UnknownIsbn(Exception):
    """The books API has no edition for this ISBN."""


def normalise_isbn(raw):
    """Digits only (hyphens and spaces dropped); an ISBN-10 becomes its ISBN-13. None if invalid."""
    digits = re.sub(r"[\s-]", "", raw or "").upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        core = "978" + digits[:9]
        return core + isbn13_check_digit(core)
    if re.fullmatch(r"97[89]\d{10}", digits) and isbn13_check_digit(digits[:12]) == digits[12]:
        return digits
    return None


def isbn13_check_digit(first12):
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def publish_year(edition):
    """The year out of publish_date as the API writes it: "1987", "March 1990", "Jun 12, 2004"."""
    match = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", edition.get("publish_date", "") or "")
    return int(match.group(1)) if match else None


def add_book(isbn, user=None):
    """(book, created): the stored book, looked up in the books API first when it is new."""
    existing = Book.objects.filter(isbn=isbn).first()
    if existing:
        return existing, False
    record = books_api.edition(isbn)
    if record is None:
        raise UnknownIsbn(isbn)
    authors = [stored_author(ref["key"].rsplit("/", 1)[-1]) for ref in record.get("authors", [])]
    try:
        with transaction.atomic():
            book = Book.objects.create(
                isbn=isbn,
                title=record.get("title", ""),
                subtitle=record.get("subtitle", ""),
                publish_year=publish_year(record),
                publishers=", ".join(record.get("publishers", [])),
                lookup=record,
                added_by=user if user and user.is_authenticated else None,
            )
            book.authors.set(authors)
    except IntegrityError:
        # Two requests added the same ISBN at once: the other one stored it first.
        return Book.objects.get(isbn=isbn), False
    log.info("added %s %r with %d author(s)", isbn, book.title, len(authors))
    return book, True


def stored_author(key):
    """The Author for an API key, asking the books API only for one not yet on the shelf."""
    found = Author.objects.filter(ol_key=key).first()
    if found:
        return found
    record = books_api.author(key)
    author, _ = Author.objects.get_or_create(
        ol_key=key, defaults={"name": record.get("name", key), "birth_date": record.get("birth_date", "")}
    )
    return author
