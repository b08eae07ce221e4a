"""`manage.py add_books ISBN [ISBN ...]`: put books on the shelf from the command line (how the
team seeds a staging database), through the same lookup as the form and the API."""
from django.core.management.base import BaseCommand, CommandError

from books.books_api import BooksApiError
from books.shelf import UnknownIsbn, add_book, normalise_isbn


class Command(BaseCommand):
    help = "Look ISBNs up in the books API and add them to the shelf."

    def add_arguments(self, parser):
        parser.add_argument("isbns", nargs="+")

    def handle(self, *args, **options):
        added = 0
        for raw in options["isbns"]:
            isbn = normalise_isbn(raw)
            if isbn is None:
                raise CommandError(f"{raw}: not a valid ISBN-10 or ISBN-13")
            try:
                _, created = add_book(isbn)
            except UnknownIsbn:
                raise CommandError(f"{isbn}: the books API knows no such book")
            except BooksApiError as e:
                raise CommandError(f"{isbn}: {e}")
            added += created
        self.stdout.write(f"added {added} book(s), {len(options['isbns']) - added} already on the shelf")
