"""Where the outbox may send: public addresses only, unless a deployment allows more.

A webhook subscriber chooses its URL, so without a check any machine account could make
the centre's workers POST to the centre's own loopback services, a cloud metadata
address (169.254.169.254) or hosts on its private network (server-side request
forgery). Every HTTP delivery therefore goes through ``OPENER``, whose connections
resolve the host once, refuse the whole name if **any** of its addresses is loopback,
private, link-local, multicast, reserved, unspecified or otherwise not global (IPv4
and IPv6; an IPv4 address inside an IPv6 one, mapped ``::ffff:a.b.c.d``, 6to4, Teredo
or NAT64, is judged as that IPv4 address), and then connect to the address that was
checked, never to a second resolution: a name that answers a public address to the
check and 127.0.0.1 to the connection (DNS rebinding) still reaches only the public
one. TLS still verifies the certificate against the name. Redirects are answers, never
followed, and no proxy from the environment is used.

Registration checks the same rule earlier (``url_refusal``), for a clear 422; the
check at delivery is the one that counts, since what a name resolves to changes.

``AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS`` (CIDR blocks, comma-separated in the environment)
lists the exceptions a deployment makes on purpose, e.g. partners on its private
network; the tests' local receivers set it for themselves.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# What each refused kind is called; the phrases are translated where a person reads
# them (the 422 of a registration), the delivery log keeps them in English.
KINDS = {
    "unspecified": gettext_noop("an unspecified address"),
    "loopback": gettext_noop("a loopback address"),
    "link-local": gettext_noop("a link-local address"),
    "multicast": gettext_noop("a multicast address"),
    "private": gettext_noop("a private address"),
    "reserved": gettext_noop("a reserved address"),
    "special": gettext_noop("a special-purpose address"),
}
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# http.client's "no timeout given" marker (the socket module's default then applies).
_DEFAULT_TIMEOUT = getattr(socket, "_GLOBAL_DEFAULT_TIMEOUT")  # noqa: B009


@lru_cache(maxsize=8)
def _parse_networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS: {value!r} is not a network (e.g. 10.2.0.0/16)"
            ) from None
    return tuple(networks)


def allowed_networks() -> tuple[IPNetwork, ...]:
    raw = settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS
    values = raw.split(",") if isinstance(raw, str) else list(raw)
    return _parse_networks(tuple(v for v in values if v.strip()))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a 6to4 or Teredo address carries, if any."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client's address; the server's is the relay
    return None


def _kind(address: IPAddress) -> str | None:
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_reserved:  # before private: Python 3.11 counts 240/4 as private too
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:  # shared 100.64/10, documentation, benchmarking, ...
        return "special"
    return None


def refusal(address: IPAddress) -> str | None:
    """The kind of ``address`` (a key of ``KINDS``) if the outbox may not reach it."""
    address = ipaddress.ip_address(str(address).split("%", 1)[0])  # no IPv6 zone id
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            # A mapped address is that IPv4 address on the wire: judged as it entirely.
            return refusal(address.ipv4_mapped)
        if address in NAT64:  # DNS64 on an IPv6-only network: the IPv4 host it stands for
            return refusal(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        embedded = _embedded_ipv4(address)
        if embedded is not None and (kind := refusal(embedded)) is not None:
            return kind
    if any(address in network for network in allowed_networks()):
        return None
    return _kind(address)


@dataclass(frozen=True)
class Refused:
    host: str
    address: str
    kind: str

    @property
    def literal(self) -> bool:
        """The host is the address itself (``http://10.0.0.5/``), not a name."""
        try:
            return ipaddress.ip_address(self.host.strip("[]")) == ipaddress.ip_address(
                self.address.split("%", 1)[0]
            )
        except ValueError:
            return False

    def __str__(self) -> str:
        where = f"{self.address} is" if self.literal else f"{self.host} resolves to {self.address},"
        return (
            f"{where} {KINDS[self.kind]}: not allowed "
            "(AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS lists exceptions)"
        )


class AddressRefused(OSError):
    """A delivery's host resolved to an address the outbox may not reach."""

    def __init__(self, refused: Refused):
        super().__init__(str(refused))
        self.refused = refused


def resolve(host: str, port: int) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` for a TCP connection (raises ``socket.gaierror``)."""
    return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)


def first_refused(host: str, infos: list[tuple[Any, ...]]) -> Refused | None:
    for *_rest, sockaddr in infos:
        kind = refusal(ipaddress.ip_address(sockaddr[0]))
        if kind is not None:
            return Refused(host, str(sockaddr[0]), kind)
    return None


def url_refusal(url: str) -> Refused | None:
    """Why the outbox may not send to ``url`` as its host resolves now, or None.

    A name that does not resolve (yet) is not refused here: nothing can be reached
    through it now, and each delivery checks again."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = resolve(host, port)
    except (OSError, ValueError, UnicodeError):
        return None
    return first_refused(host, infos)


def guarded_connection(
    address: tuple[str, int],
    timeout: Any = _DEFAULT_TIMEOUT,
    source_address: tuple[str, int] | None = None,
    **_: Any,
) -> socket.socket:
    """``socket.create_connection`` that refuses forbidden addresses and connects only
    to the addresses it checked (one resolution: no rebinding in between)."""
    host, port = address
    infos = resolve(host, port)
    refused = first_refused(host, infos)
    if refused is not None:
        raise AddressRefused(refused)
    last: OSError = OSError(f"{host} has no address")
    for family, kind, proto, _name, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not _DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failed:
            sock.close()
            last = failed
    raise last


class GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = guarded_connection


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = guarded_connection


class _HTTP(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(GuardedHTTPConnection, req)


class _HTTPS(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(GuardedHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a delivery: a receiver must answer 2xx itself (and
    a redirect could point anywhere, a forbidden address included)."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# Direct connections: no proxy from the environment, no redirects, checked addresses.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect(), _HTTP, _HTTPS)
