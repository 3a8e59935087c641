"""WSGI entry point: `gunicorn driftsblik.wsgi` in production, `driftsblik serve` otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "driftsblik.settings")
application = get_wsgi_application()
