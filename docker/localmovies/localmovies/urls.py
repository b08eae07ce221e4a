"""URL map: the health check and the JSON API (no trailing slashes, no redirects)."""
from django.urls import path

from movies import views

urlpatterns = [
    path("healthz", views.healthz),
    path("api/movies", views.movie_list),
    path("api/movies/<int:tmdb_id>", views.movie_detail),
    path("api/import", views.import_start),
    path("api/import/<str:job_id>", views.import_status),
]

handler404 = "movies.views.not_found"
handler500 = "movies.views.server_error"
