"""Which addresses count as this machine only: away from them, ``serve`` demands a token."""

import pytest

from tutorial.ui.web.access import is_loopback


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost"])
def test_loopback_addresses(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "10.0.0.1", "example.org", "localhost.example"])
def test_addresses_other_machines_can_reach(host):
    assert not is_loopback(host)
