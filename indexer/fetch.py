"""Every download of the indexer (except yt-dlp's own) goes through `fetch`.

Bounded and polite: http(s) only, no private-network address unless the source allows it,
a timeout and a size cap on every body, redirects followed by hand (each hop checked, a
loop is an error), retries with backoff on 429 and 5xx that honour Retry-After, and
conditional GET so an unchanged feed costs one 304.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlparse

import requests

USER_AGENT = "coach-catalog/0.1 (+self-hosted search catalog; polite nightly fetch)"
RETRYABLE = {429, 500, 502, 503, 504}


class FetchError(RuntimeError):
    """A download that failed; the message names the URL and the reason on one line."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status

    @property
    def gone(self) -> bool:
        """The server says the thing is not there (as opposed to failing to answer)."""
        return self.status in (404, 410)


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 20.0  # seconds, for connecting and between bytes
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 2.0  # seconds, doubled per retry, unless Retry-After says otherwise
    max_retry_after: float = 120.0  # a longer Retry-After fails now, to be retried next night
    # Non-public addresses allowed: True for all of them, or networks such as "127.0.0.0/8".
    allow_private: bool | tuple[str, ...] = False

    @classmethod
    def from_options(cls, options: dict) -> FetchPolicy:
        """The policy of a source: `allow_private_network = true` or a list of networks."""
        known = {k: options[k] for k in ("timeout", "max_bytes", "retries", "backoff") if k in options}
        allowed = options.get("allow_private_network", False)
        return cls(allow_private=allowed if isinstance(allowed, bool) else tuple(allowed), **known)

    def allows(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if ip.is_global or self.allow_private is True:
            return True
        return any(ip in ipaddress.ip_network(net) for net in self.allow_private or ())


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
            return _follow(http, url, headers, policy)
        except _Retry as retry:
            if attempt == policy.retries:
                raise FetchError(url, retry.reason, retry.status) from None
            time.sleep(retry.wait if retry.wait is not None else policy.backoff * 2**attempt)
    raise AssertionError("unreachable")


class _Retry(Exception):
    def __init__(self, reason: str, status: int | None = None, wait: float | None = None):
        self.reason, self.status, self.wait = reason, status, wait


def _follow(http: requests.Session, url: str, headers: dict, policy: FetchPolicy) -> Response:
    seen: list[str] = []
    while True:
        check_url(url, policy)
        if url in seen or len(seen) > policy.max_redirects:
            raise FetchError(url, f"redirect loop or more than {policy.max_redirects} redirects")
        seen.append(url)
        response = _get(http, url, headers, policy)
        if response.is_redirect and "location" in response.headers:
            url = urljoin(url, response.headers["location"])
            response.close()
            continue
        return _read(response, url, policy)


def _get(http: requests.Session, url: str, headers: dict, policy: FetchPolicy) -> requests.Response:
    try:
        return http.get(url, headers=headers, timeout=policy.timeout, allow_redirects=False, stream=True)
    except requests.Timeout:
        raise _Retry(f"timed out after {policy.timeout:g} s") from None
    except requests.ConnectionError as exc:
        raise _Retry(f"connection failed ({_root_cause(exc)})") from None
    except requests.RequestException as exc:
        raise FetchError(url, f"request failed ({_root_cause(exc)})") from None


def _read(response: requests.Response, url: str, policy: FetchPolicy) -> Response:
    status = response.status_code
    with response:
        if status in RETRYABLE:
            wait = retry_after(response.headers.get("retry-after"))
            reason = f"HTTP {status} {response.reason}" + (f", retry after {wait:g} s" if wait is not None else "")
            if wait is not None and wait > policy.max_retry_after:
                raise FetchError(url, reason, status)
            raise _Retry(reason, status, wait)
        if status >= 400:
            raise FetchError(url, f"HTTP {status} {response.reason}", status)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > policy.max_bytes:
            raise FetchError(url, f"body of {int(declared)} bytes is over the {policy.max_bytes}-byte limit", status)
        body = bytearray()
        try:
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > policy.max_bytes:
                    raise FetchError(url, f"body is over the {policy.max_bytes}-byte limit", status)
        except requests.RequestException as exc:
            raise _Retry(f"download broke off ({_root_cause(exc)})", status) from None
        headers = {k.lower(): v for k, v in response.headers.items()}
    return Response(url=url, status=status, body=bytes(body), headers=headers)


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


def _root_cause(exc: BaseException) -> str:
    while exc.__context__ is not None and exc.__context__ is not exc:
        exc = exc.__context__
    return str(exc).splitlines()[0][:200] or type(exc).__name__


def check_url(url: str, policy: FetchPolicy) -> None:
    """Refuse anything but public http(s), unless the policy allows local addresses."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https"):
        raise FetchError(url, f"scheme {parsed.scheme or 'none'!r} is not allowed (http and https only)")
    if not parsed.hostname:
        raise FetchError(url, "no host in URL")
    if policy.allow_private is True:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parsed.hostname, parsed.port or 443)}
    except OSError as exc:
        raise FetchError(url, f"cannot resolve {parsed.hostname} ({exc})") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not policy.allows(ip):
            raise FetchError(
                url, f"{parsed.hostname} is a private-network address ({ip}); set allow_private_network to fetch it"
            )
