"""Which addresses the outbox may reach (``outbox.egress``): every class of address that
is not public is refused, IPv4 and IPv6, inside IPv6 too; a deployment's allowed
networks are the only exceptions; a name is judged by what it resolves to."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from aidbridge.outbox import egress

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("fd12:3456::1", "private"),  # unique local
    ("169.254.169.254", "link-local"),  # a cloud's metadata service
    ("fe80::1", "link-local"),
    ("fe80::1%1", "link-local"),  # with a zone id, as getaddrinfo gives it
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("100.64.0.1", "special"),  # shared address space (carrier NAT)
    # An IPv4 address inside an IPv6 one is judged as that IPv4 address.
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
    ("2002:a9fe:a9fe::", "link-local"),  # 6to4 of 169.254.169.254
    ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
]

PUBLIC = ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_every_address_that_is_not_public_is_refused(address: str, kind: str) -> None:
    assert egress.refusal(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_reached(address: str) -> None:
    assert egress.refusal(ipaddress.ip_address(address)) is None


def test_allowed_networks_are_the_only_exceptions(settings: Any) -> None:
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["10.20.0.0/16", "fd00:a1d::/48"]
    for allowed in ("10.20.3.4", "::ffff:10.20.3.4", "fd00:a1d::7"):
        assert egress.refusal(ipaddress.ip_address(allowed)) is None, allowed
    for still in ("10.21.0.1", "127.0.0.1", "169.254.169.254", "fd00:a1e::1"):
        assert egress.refusal(ipaddress.ip_address(still)) is not None, still


def test_allowed_networks_from_the_environment_are_comma_separated(settings: Any) -> None:
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = "127.0.0.1/32, 10.0.0.0/8"
    assert egress.refusal(ipaddress.ip_address("10.9.9.9")) is None
    settings.AIDBRIDGE_OUTBOX_ALLOWED_NETWORKS = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match=r"10\.0\.0\.0/33"):
        egress.allowed_networks()


def test_a_url_is_judged_by_what_its_host_resolves_to() -> None:
    refused = egress.url_refusal("http://localhost:8080/hook")  # a name for 127.0.0.1
    assert refused is not None and refused.kind == "loopback"
    assert refused.host == "localhost" and ipaddress.ip_address(refused.address).is_loopback
    assert f"localhost resolves to {refused.address}, a loopback address" in str(refused)
    literal = egress.url_refusal("https://[::ffff:169.254.169.254]/latest/meta-data")
    assert literal is not None and literal.kind == "link-local"
    assert egress.url_refusal("https://8.8.8.8/hook") is None
    # A name that does not resolve (now) is left to the check at each delivery.
    assert egress.url_refusal("https://no-such-host.invalid/hook") is None
