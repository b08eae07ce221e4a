"""WSGI entry point: gunicorn serves `bookshelf.wsgi:application` (see gunicorn.conf.py)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bookshelf.settings")

application = get_wsgi_application()
