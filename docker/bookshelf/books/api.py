"""The JSON API (Django REST framework): GET is public, POST needs a logged-in session and the
X-CSRFToken header (SessionAuthentication, IsAuthenticatedOrReadOnly in settings)."""
from rest_framework import generics, status
from rest_framework.response import Response

from .books_api import BooksApiError
from .models import Book
from .serializers import AddBookSerializer, BookSerializer
from .shelf import UnknownIsbn, add_book


class BookList(generics.ListAPIView):
    queryset = Book.objects.prefetch_related("authors")
    serializer_class = BookSerializer

    def post(self, request):
        form = AddBookSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        isbn = form.validated_data["isbn"]
        try:
            book, created = add_book(isbn, request.user)
        except UnknownIsbn:
            return Response({"isbn": [f"the books API knows no book with ISBN {isbn}"]}, status=400)
        except BooksApiError as e:
            return Response({"detail": f"the books API is unavailable: {e}"}, status=502)
        return Response(BookSerializer(book).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class BookDetail(generics.RetrieveAPIView):
    queryset = Book.objects.prefetch_related("authors")
    serializer_class = BookSerializer
    lookup_field = "isbn"
