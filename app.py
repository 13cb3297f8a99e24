"""Entry point: ``flask --app app run`` and ``gunicorn app:app``."""

from kil_consult import create_app

app = create_app()
