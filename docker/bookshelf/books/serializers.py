"""The JSON shapes of the API: a book with its authors nested; adding one takes just an ISBN."""
from rest_framework import serializers

from .models import Author, Book
from .shelf import normalise_isbn


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["ol_key", "name", "birth_date"]


class BookSerializer(serializers.ModelSerializer):
    authors = AuthorSerializer(many=True, read_only=True)

    class Meta:
        model = Book
        fields = ["isbn", "title", "subtitle", "publish_year", "publishers", "authors", "added_at"]


class AddBookSerializer(serializers.Serializer):
    isbn = serializers.CharField(max_length=17)

    def validate_isbn(self, value):
        isbn = normalise_isbn(value)
        if isbn is None:
            raise serializers.ValidationError("not a valid ISBN-10 or ISBN-13")
        return isbn
