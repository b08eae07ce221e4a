from django import forms

from .shelf import normalise_isbn


class AddBookForm(forms.Form):
    isbn = forms.CharField(label="ISBN", max_length=17)

    def clean_isbn(self):
        isbn = normalise_isbn(self.cleaned_data["isbn"])
        if isbn is None:
            raise forms.ValidationError("Not a valid ISBN-10 or ISBN-13.")
        return isbn
