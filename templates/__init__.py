"""The Jinja pages and static files of the site, installed as the package `catalog.web.templates`."""
