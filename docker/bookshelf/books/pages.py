"""The HTML side: the shelf, the add-a-book form (login required, CSRF-protected, posts
application/x-www-form-urlencoded and redirects to the shelf), and /healthz."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .books_api import BooksApiError
from .forms import AddBookForm
from .models import Book
from .shelf import UnknownIsbn, add_book


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as e:
        return HttpResponse(f"database unavailable: {e}\n", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def book_list(request):
    books = Book.objects.prefetch_related("authors")[:50]
    return render(request, "books/book_list.html", {"books": books})


@login_required
def book_new(request):
    form = AddBookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        isbn = form.cleaned_data["isbn"]
        try:
            book, created = add_book(isbn, request.user)
        except UnknownIsbn:
            form.add_error("isbn", f"The books API knows no book with ISBN {isbn}.")
        except BooksApiError:
            form.add_error(None, "The books API is not answering; try again in a minute.")
        else:
            messages.success(request, f"Added {book.title}." if created else f"{book.title} was already on the shelf.")
            return redirect("book-list")
    return render(request, "books/book_form.html", {"form": form}, status=400 if form.errors else 200)
