"""The web app's entry point: `gunicorn 'app:create_app()'` (the factory is catalog.web.factory)."""

from catalog.web.factory import create_app

__all__ = ["create_app"]
