"""A demo user, so a fresh database can log in at once: username `demo`, password
`bookshelf-demo` (documented in README.md; a staging/sample credential, never a production one)."""
from django.contrib.auth.hashers import make_password
from django.db import migrations

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "bookshelf-demo"


def create_demo_user(apps, schema_editor):
    User = apps.get_model("auth", "User")
    User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"password": make_password(DEMO_PASSWORD), "email": "demo@bookshelf.example"},
    )


def remove_demo_user(apps, schema_editor):
    apps.get_model("auth", "User").objects.filter(username=DEMO_USERNAME).delete()


class Migration(migrations.Migration):
    dependencies = [("books", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_demo_user, remove_demo_user)]
