"""Create the first admin account, once: `make run` calls this on every start.

With no superuser yet, it creates one from FW_ADMIN_USERNAME (default "admin"),
FW_ADMIN_EMAIL and FW_ADMIN_PASSWORD; without a password it generates one and
prints it, the only time it is ever shown. Once any superuser exists it does
nothing, so a password changed in the admin is never reset by a restart.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create a superuser if there is none (credentials from FW_ADMIN_* or generated)."

    def handle(self, *args, **options):
        User = get_user_model()
        existing = list(
            User.objects.filter(is_superuser=True).order_by("pk").values_list(User.USERNAME_FIELD, flat=True)[:5]
        )
        if existing:
            self.stdout.write(f"Admin account: {', '.join(existing)} (exists; password unchanged)")
            return

        username = os.environ.get("FW_ADMIN_USERNAME") or "admin"
        email = os.environ.get("FW_ADMIN_EMAIL") or ""
        password = os.environ.get("FW_ADMIN_PASSWORD") or ""
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)

        if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
            raise CommandError(
                f"A user named {username!r} exists but is not a superuser; set FW_ADMIN_USERNAME "
                f"to another name, or run `manage.py createsuperuser`."
            )
        with transaction.atomic():
            User.objects.create_superuser(**{User.USERNAME_FIELD: username}, email=email, password=password)

        if generated:
            self.stdout.write(
                f"Admin account created: username {username!r}, password {password!r}\n"
                f"  (shown only this once; change it with `manage.py changepassword {username}`)"
            )
        else:
            self.stdout.write(f"Admin account created: username {username!r}, password from FW_ADMIN_PASSWORD")
