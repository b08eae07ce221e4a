"""A shelf of books looked up by ISBN: each Book keeps the books API's raw answer beside the
fields the pages show, and its Authors (many; an author is stored once, by the API's key)."""
from django.conf import settings
from django.db import models


class Author(models.Model):
    # The books API's key without its "/authors/" prefix, e.g. OL23919A.
    ol_key = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    birth_date = models.CharField(max_length=40, blank=True)

    def __str__(self):
        return self.name


class Book(models.Model):
    isbn = models.CharField(max_length=13, unique=True)  # ISBN-13, digits only
    title = models.CharField(max_length=255)
    subtitle = models.CharField(max_length=255, blank=True)
    publish_year = models.PositiveSmallIntegerField(null=True)
    publishers = models.CharField(max_length=255, blank=True)
    authors = models.ManyToManyField(Author, related_name="books")
    lookup = models.JSONField(help_text="the books API's edition record, as it answered")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "isbn"]

    def __str__(self):
        return f"{self.title} ({self.isbn})"
