"""Real services for the tests: a Docker engine and a registry, started here when CI has not.

CI (``.ci/run``) installs Debian's docker.io and docker-registry, starts them once, and
exports ``ADVENTURE_TEST_DOCKER_HOST`` and ``ADVENTURE_TEST_REGISTRY``, plus
``ADVENTURE_REQUIRE_SERVICES=1`` so that a test needing them fails instead of skipping.
On a developer machine with those packages (and root), the fixtures start private instances.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def required() -> bool:
    return os.environ.get("ADVENTURE_REQUIRE_SERVICES") == "1"


def unavailable(what: str) -> None:
    if required():
        pytest.fail(f"{what} is required in this run (ADVENTURE_REQUIRE_SERVICES=1) but is not available")
    pytest.skip(f"{what} is not available here (install Debian's docker.io and docker-registry, run as root)")


def _wait(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")


@contextlib.contextmanager
def _running(command: list[str], log_path: Path, ready, what: str, timeout: float) -> Iterator[None]:
    """Run a service until the block ends; wait until ``ready()`` says it answers."""
    with log_path.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait(ready, timeout, what)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _docker_answers(host: str) -> bool:
    path = host.removeprefix("unix://")
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(1)
        sock.connect(path)
        sock.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
        return b"OK" in sock.recv(1024)
    return False


@contextlib.contextmanager
def docker_engine(folder: Path) -> Iterator[str]:
    """A dockerd with its own socket and data, in ``folder``; yields its DOCKER_HOST."""
    given = os.environ.get("ADVENTURE_TEST_DOCKER_HOST")
    if given:
        yield given
        return
    dockerd = shutil.which("dockerd") or ("/usr/sbin/dockerd" if Path("/usr/sbin/dockerd").exists() else None)
    if dockerd is None or os.geteuid() != 0:
        unavailable("a Docker engine")
    folder.mkdir(parents=True, exist_ok=True)
    host = f"unix://{folder}/docker.sock"
    command = [
        dockerd,
        "--host",
        host,
        "--data-root",
        str(folder / "data"),
        "--exec-root",
        str(folder / "exec"),
        "--pidfile",
        str(folder / "docker.pid"),
        "--iptables=false",
        "--bridge=none",
    ]
    with _running(command, folder / "dockerd.log", lambda: _docker_answers(host), "dockerd", 60):
        yield host


def _registry_answers(address: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(f"http://{address}/v2/", timeout=1) as response:
        return response.status == 200
    return False


@contextlib.contextmanager
def registry(folder: Path) -> Iterator[str]:
    """Debian's docker-registry on 127.0.0.1 only; yields its host:port."""
    given = os.environ.get("ADVENTURE_TEST_REGISTRY")
    if given:
        yield given
        return
    binary = shutil.which("docker-registry")
    if binary is None:
        unavailable("a container registry (docker-registry)")
    folder.mkdir(parents=True, exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"127.0.0.1:{port}"
    config = folder / "config.yml"
    config.write_text(
        f"version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: {folder / 'data'}\n"
        f"  delete:\n    enabled: true\nhttp:\n  addr: {address}\n"
    )
    with _running(
        [binary, "serve", str(config)],
        folder / "registry.log",
        lambda: _registry_answers(address),
        "docker-registry",
        30,
    ):
        yield address
