"""The read-only web: HTML pages and the JSON API over the live catalog and index.

`factory.create_app` wires it; the views read the request's catalog and live index from
`resources`.
"""
