"""Movie (one row per TMDB id) and ImportJob (the fixed variant's background import)."""
import uuid

from django.db import models


class Movie(models.Model):
    tmdb_id = models.IntegerField(unique=True)
    title = models.CharField(max_length=500)
    overview = models.TextField(blank=True, default="")
    release_date = models.DateField(null=True, blank=True)
    popularity = models.FloatField(default=0)
    vote_average = models.FloatField(default=0)
    genres = models.JSONField(default=list)  # TMDB genre ids
    updated_at = models.DateTimeField(auto_now=True)

    def as_json(self):
        return {
            "tmdb_id": self.tmdb_id,
            "title": self.title,
            "overview": self.overview,
            "release_date": self.release_date.isoformat() if self.release_date else None,
            "popularity": self.popularity,
            "vote_average": self.vote_average,
            "genres": self.genres,
        }


class ImportJob(models.Model):
    STATUSES = [("queued", "queued"), ("running", "running"), ("done", "done"), ("failed", "failed")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=10, choices=STATUSES, default="queued")
    pages_total = models.IntegerField()
    pages_done = models.IntegerField(default=0)
    movies = models.IntegerField(default=0)  # rows written (upserted) so far
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def as_json(self):
        return {
            "id": str(self.id),
            "status": self.status,
            "pages_total": self.pages_total,
            "pages_done": self.pages_done,
            "movies": self.movies,
            "error": self.error or None,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }
