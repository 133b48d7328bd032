"""Every download of the indexer except yt-dlp's goes through `fetch`, on the guarded path of
`indexer.guard` (yt-dlp's go through it in `indexer.sources.youtube`).

Bounded and polite: http(s) only, no private-network address unless the source allows it,
redirects followed one hop at a time (each checked before it is fetched, a loop is an error),
a timeout for each wait, a deadline for the whole download and a size cap on every body,
retries with backoff on 429 and 5xx that honour Retry-After, and conditional GET so an
unchanged feed costs one 304. `FetchError` and `FetchPolicy` live in `indexer.guard`;
readers import them from here, beside `fetch`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import requests

from indexer.guard import BodyBroken, CappedBody, Download, FetchError, FetchPolicy, root_cause

USER_AGENT = "coach-catalog/0.1 (+self-hosted search catalog; polite nightly fetch)"
RETRYABLE = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)  # lower-case names

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        """The body decoded by its declared charset (UTF-8 if none); bad bytes become U+FFFD."""
        charset = requests.utils.get_encoding_from_headers(self.headers) or "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def fetch(
    url: str,
    policy: FetchPolicy,
    etag: str | None = None,
    last_modified: str | None = None,
    session: requests.Session | None = None,
) -> Response:
    """GET `url` within `policy`; raises FetchError with a one-line reason."""
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    http = session or requests.Session()
    for attempt in range(policy.retries + 1):
        try:
            return _follow(http, Download(url, policy), headers)
        except _Retry as retry:
            if attempt == policy.retries:
                raise FetchError(url, retry.reason, retry.status) from None
            time.sleep(retry.wait if retry.wait is not None else policy.backoff * 2**attempt)
    raise AssertionError("unreachable")


class _Retry(Exception):
    def __init__(self, reason: str, status: int | None = None, wait: float | None = None):
        self.reason, self.status, self.wait = reason, status, wait


def _follow(http: requests.Session, download: Download, headers: dict) -> Response:
    while True:
        response = _get(http, download, headers)
        if not response.is_redirect:
            return _read(response, download)
        response.close()
        download.redirect(response.headers["location"])


def _get(http: requests.Session, download: Download, headers: dict) -> requests.Response:
    timeout = download.timeout()
    try:
        return http.get(download.url, headers=headers, timeout=timeout, allow_redirects=False, stream=True)
    except requests.Timeout:
        raise _Retry(f"timed out after {timeout:g} s") from None
    except requests.ConnectionError as exc:
        raise _Retry(f"connection failed ({root_cause(exc)})") from None
    except requests.RequestException as exc:
        raise FetchError(download.url, f"request failed ({root_cause(exc)})") from None


def _read(response: requests.Response, download: Download) -> Response:
    status, url, limit = response.status_code, download.url, download.policy.max_bytes
    with response:
        if status in RETRYABLE:
            wait = retry_after(response.headers.get("retry-after"))
            reason = f"HTTP {status} {response.reason}" + (f", retry after {wait:g} s" if wait is not None else "")
            if wait is not None and wait > download.policy.max_retry_after:
                raise FetchError(url, reason, status)
            raise _Retry(reason, status, wait)
        if status >= 400:
            raise FetchError(url, f"HTTP {status} {response.reason}", status)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"body of {int(declared)} bytes is over the {limit}-byte limit", status)
        try:
            body = CappedBody(response.raw, download).read()
        except BodyBroken as broken:
            raise _Retry(broken.reason, status) from None
        headers = {k.lower(): v for k, v in response.headers.items()}
    return Response(url=url, status=status, body=body, headers=headers)


def retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), None if unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
