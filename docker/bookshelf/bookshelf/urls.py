"""Routes: the HTML pages (login, the shelf, the add-a-book form), the JSON API, /healthz."""
from django.urls import include, path

from books import api, pages

urlpatterns = [
    path("healthz", pages.healthz),
    path("accounts/", include("django.contrib.auth.urls")),
    path("books/", pages.book_list, name="book-list"),
    path("books/new/", pages.book_new, name="book-new"),
    path("api/books/", api.BookList.as_view(), name="api-book-list"),
    path("api/books/<str:isbn>/", api.BookDetail.as_view(), name="api-book-detail"),
]
