"""The client address that the rate limits and the login lockout key on (limits.client_ip)."""

import pytest
from django.test import RequestFactory

from zongzhi.intake.limits import client_ip


def address(remote: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    "remote",
    ["2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0db8:0001:0002:abcd::9"],
)
def test_an_ipv6_client_is_its_slash_64(settings, remote):
    # Any address of one /64 is one client: otherwise each limit allows 2^64 tries.
    settings.TRUSTED_PROXIES = []
    assert address(remote) == "2001:db8:1:2::"


def test_other_ipv6_networks_and_mapped_ipv4_stay_apart(settings):
    settings.TRUSTED_PROXIES = []
    assert address("2001:db8:1:3::1") == "2001:db8:1:3::"
    assert address("::ffff:203.0.113.7") == "203.0.113.7"


def test_an_ipv6_client_behind_a_trusted_proxy_is_its_slash_64(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address("10.0.0.2", "2001:db8:1:2::abcd") == "2001:db8:1:2::"
