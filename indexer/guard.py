"""What every download obeys, whichever client makes it (`indexer.fetch` for feeds and
pages, `GuardedYoutubeDL` in `indexer.sources.youtube` for yt-dlp): one guarded path.

- http(s) only, and no private-network address unless the source allows it; an IPv6
  address that carries an IPv4 one (mapped, compatible, NAT64, 6to4) counts as that address;
- redirects taken one hop at a time, each checked before anything is sent to it;
- a timeout for each wait and a deadline for the whole download, redirects and body;
- a size cap on every body, counted as it streams.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address
from urllib.parse import urljoin, urlparse

import urllib3

READ_PIECE = 64 * 1024  # bytes asked of the socket at a time; a read returns as soon as any arrive

# IPv6 forms that carry an IPv4 address and reach it (RFC 4291, 6052); 6to4 (RFC 3056) is ip.sixtofour.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: where the IPv4 sits is the operator's choice


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
    deadline: float | None = None  # seconds for one whole download; None: see `download_seconds`

    @classmethod
    def from_options(cls, options: dict) -> FetchPolicy:
        """The policy of a source: `allow_private_network = true` or a list of networks."""
        known = {k: options[k] for k in ("timeout", "deadline", "max_bytes", "retries", "backoff") if k in options}
        allowed = options.get("allow_private_network", cls.allow_private)
        return cls(allow_private=allowed if isinstance(allowed, bool) else tuple(allowed), **known)

    @property
    def download_seconds(self) -> float:
        """The most one download may take: a server that sends a byte now and then, each
        within `timeout`, cannot hold the run for longer."""
        return self.deadline if self.deadline is not None else max(60.0, 6 * self.timeout)

    def allows(self, ip: IPv4Address | IPv6Address) -> bool:
        """Whether a download may reach `ip`; an IPv6 form carrying an IPv4 address counts as that address."""
        if isinstance(ip, IPv6Address):
            ip = embedded_ipv4(ip) or ip
        if self.allow_private is True or (ip.is_global and ip not in _NAT64_LOCAL):
            return True
        return any(ip in ipaddress.ip_network(net, strict=False) for net in self.allow_private or ())


def embedded_ipv4(ip: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 one leads to: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
    (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:aabb:ccdd::, bits 16 to 48); else None."""
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):  # :: and ::1 are IPv6's own
        return IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def check_url(url: str, policy: FetchPolicy) -> None:
    """Refuse anything but public http(s), unless the policy allows local addresses."""
    try:
        parsed = urlparse(url)
        host, port = parsed.hostname, parsed.port
    except ValueError as exc:
        raise FetchError(url, f"malformed URL ({exc})") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(url, f"scheme {parsed.scheme or 'none'!r} is not allowed (http and https only)")
    if not host:
        raise FetchError(url, "no host in URL")
    if policy.allow_private is True:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port or 443)}
    except OSError as exc:
        raise FetchError(url, f"cannot resolve {host} ({exc})") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not policy.allows(ip):
            carried = embedded_ipv4(ip) if isinstance(ip, IPv6Address) else None
            shown = f"{ip}, which is {carried}" if carried else str(ip)
            reason = f"{host} is a private-network address ({shown}); set allow_private_network to fetch it"
            raise FetchError(url, reason)


class BodyBroken(FetchError):
    """The connection failed while the body was read (worth a retry, unlike the cap or the deadline)."""


class Download:
    """One download's route and clock: each URL is checked before anything is sent to it,
    redirects are taken one hop at a time (no loop, at most `max_redirects`), and the whole
    of it, redirects and body, ends by the deadline."""

    def __init__(self, url: str, policy: FetchPolicy):
        check_url(url, policy)
        self.policy, self.urls = policy, [url]
        self.ends = time.monotonic() + policy.download_seconds

    @property
    def url(self) -> str:
        """Where the download is now (after the redirects taken so far)."""
        return self.urls[-1]

    def redirect(self, location: str) -> str:
        """The URL a redirect answer points to, taken only if the policy allows fetching it
        (else FetchError about the URL the download was asked for)."""
        target = urljoin(self.url, location)
        if target in self.urls or len(self.urls) > self.policy.max_redirects:
            raise FetchError(self.urls[0], f"redirect loop or more than {self.policy.max_redirects} redirects")
        try:
            check_url(target, self.policy)
        except FetchError as refused:
            raise FetchError(self.urls[0], f"redirect to {target} refused: {refused.reason}") from None
        self.urls.append(target)
        return target

    def check_deadline(self) -> float:
        """Seconds left before the deadline; once it has passed, FetchError."""
        left = self.ends - time.monotonic()
        if left <= 0:
            seconds = self.policy.download_seconds
            raise FetchError(self.url, f"took longer than {seconds:g} s, the most one download may take")
        return left

    def timeout(self) -> float:
        """Seconds the next wait (to connect, or for an answer) may take: `timeout`, less near the deadline."""
        return min(self.policy.timeout, self.check_deadline())


class CappedBody:
    """A body read as its bytes arrive, never past `max_bytes` nor after the download's deadline.

    Each read returns as soon as any bytes are there, so an endless body stops at the cap and
    a trickle at the deadline (give or take one `timeout`), whatever size the caller asks for.
    """

    def __init__(self, raw: urllib3.BaseHTTPResponse, download: Download):
        self.raw, self.download, self.count = raw, download, 0

    def read(self, size: int | None = None) -> bytes:
        """`size` bytes (all when None or negative), fewer only at the end."""
        pieces: list[bytes] = []
        wanted = None if size is None or size < 0 else size
        while wanted is None or wanted > 0:
            self.download.check_deadline()
            try:
                piece = self.raw.read1(READ_PIECE if wanted is None else min(READ_PIECE, wanted), decode_content=True)
            except urllib3.exceptions.HTTPError as exc:
                raise BodyBroken(self.download.url, f"download broke off ({root_cause(exc)})") from None
            if not piece:
                break
            self.count += len(piece)
            if self.count > self.download.policy.max_bytes:
                limit = self.download.policy.max_bytes
                raise FetchError(self.download.url, f"body is over the {limit}-byte limit")
            pieces.append(piece)
            wanted = None if wanted is None else wanted - len(piece)
        return b"".join(pieces)


def root_cause(exc: BaseException) -> str:
    """The first line of the innermost exception `exc` was raised from: the reason worth a log line."""
    while exc.__context__ is not None and exc.__context__ is not exc:
        exc = exc.__context__
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
