"""Prerequisites of pages and steps: programs on PATH, a reachable Docker engine, a cluster.

The Docker engine is asked through the docker SDK (``DOCKER_HOST`` and the current Docker
context are honoured), so "Docker is not running" is said plainly before a step fails with
a socket error. The Kubernetes context is reported, never assumed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Mapping

from tutorial.manuscript.model import Prerequisite, PrerequisiteKind
from tutorial.records import record

DOCKER_INSTALL = "https://docs.docker.com/get-docker/"
KUBECTL_INSTALL = "https://kubernetes.io/docs/tasks/tools/"


@record(frozen=True)
class Report:
    """The state of one prerequisite."""

    kind: PrerequisiteKind
    name: str
    ok: bool
    detail: str  # the version found, or what is wrong
    link: str = ""  # where to get it
    fix: str = ""  # what to do about it
    required: bool = True  # False for what is only reported (a cluster for helm)


def docker_host(env: Mapping[str, str]) -> str:
    """The engine address the docker CLI would use: DOCKER_HOST, else the current context."""
    if env.get("DOCKER_HOST"):
        return env["DOCKER_HOST"]
    try:
        from docker.context import ContextAPI

        host = ContextAPI.get_current_context().Host
    except Exception:  # noqa: BLE001 - a broken context config means "the default socket"
        host = None
    return host or "unix:///var/run/docker.sock"


def docker_engine(env: Mapping[str, str] | None = None, *, timeout: float = 5) -> Report:
    """Is a Docker engine answering? Reports its version, or what to do."""
    env = dict(os.environ if env is None else env)
    host = docker_host(env)
    try:
        import docker
        import docker.errors

        if env.get("DOCKER_HOST"):  # with its TLS settings, as the docker CLI reads them
            client = docker.from_env(environment=env, timeout=timeout)
        else:
            client = docker.DockerClient(base_url=host, timeout=timeout)
    except Exception as error:  # noqa: BLE001 - the SDK raises many kinds for an absent engine
        return _docker_down(host, error)
    try:
        version = client.version()
    except Exception as error:  # noqa: BLE001
        return _docker_down(host, error)
    finally:
        client.close()
    detail = f"Docker Engine {version.get('Version', '?')} (API {version.get('ApiVersion', '?')}) at {host}"
    return Report(PrerequisiteKind.DOCKER, "docker", True, detail, DOCKER_INSTALL)


def _reason(error: BaseException) -> str:
    """The root cause of an SDK error in a few words ("no socket", "connection refused")."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        for argument in getattr(cause, "args", ()):
            if isinstance(argument, BaseException):
                cause = argument
                break
        else:
            if isinstance(cause, FileNotFoundError):
                return "no such socket"
            if isinstance(cause, ConnectionRefusedError):
                return "connection refused"
            if isinstance(cause, PermissionError):
                return "permission denied (is your user in the docker group?)"
            nxt = cause.__cause__ or cause.__context__
            if nxt is None:
                break
            cause = nxt
    text = str(cause or error).strip().splitlines()[0] if str(cause or error).strip() else type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _docker_down(host: str, error: BaseException) -> Report:
    reason = _reason(error)
    return Report(
        PrerequisiteKind.DOCKER,
        "docker",
        False,
        f"Docker is not running: nothing answers at {host} ({reason})",
        DOCKER_INSTALL,
        "Start Docker (Docker Desktop, `sudo systemctl start docker`, or `colima start`), "
        "or point DOCKER_HOST at a running engine, then check again.",
    )


def kubernetes_context(env: Mapping[str, str] | None = None, *, timeout: float = 5) -> Report:
    """The current kubectl context, reported (a page using kubectl or helm needs a cluster)."""
    env = dict(os.environ if env is None else env)
    kubectl = shutil.which("kubectl", path=env.get("PATH"))
    if kubectl is None:
        return Report(
            PrerequisiteKind.CLUSTER,
            "kubernetes",
            False,
            "kubectl is not installed",
            KUBECTL_INSTALL,
            "Install kubectl and connect it to a cluster.",
            required=False,
        )
    try:
        done = subprocess.run(
            [kubectl, "config", "current-context"],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Report(
            PrerequisiteKind.CLUSTER,
            "kubernetes",
            False,
            f"kubectl did not answer: {error}",
            KUBECTL_INSTALL,
            required=False,
        )
    context = done.stdout.strip()
    if done.returncode != 0 or not context:
        message = (done.stderr.strip().splitlines() or ["no current context"])[-1]
        return Report(
            PrerequisiteKind.CLUSTER,
            "kubernetes",
            False,
            f"no Kubernetes cluster: {message}",
            KUBECTL_INSTALL,
            "Create a cluster (kind, minikube, or a cloud one) and select its "
            "context with `kubectl config use-context`.",
            required=False,
        )
    return Report(PrerequisiteKind.CLUSTER, "kubernetes", True, f"context {context}", KUBECTL_INSTALL, required=False)


@record(frozen=True)
class Flavour:
    """Which of several programs of the same name the manuscript's commands are written for."""

    mark: str  # what ``NAME --version`` prints for the right one
    who: str  # how to name the right one to a reader
    link: str  # where to get it


#: Programs with a namesake that takes other arguments: the Python ``yq`` (a jq wrapper)
#: rejects mikefarah's ``yq --inplace '.a = 1' file`` that the manuscript uses.
FLAVOURS = {
    "yq": Flavour("mikefarah", "mikefarah's yq (v4)", "https://github.com/mikefarah/yq"),
}


def tool(name: str, link: str = "", env: Mapping[str, str] | None = None) -> Report:
    env = os.environ if env is None else env
    found = shutil.which(name, path=env.get("PATH"))
    if found and name in FLAVOURS:
        return _flavour(name, found, FLAVOURS[name], link, env)
    if found:
        return Report(PrerequisiteKind.TOOL, name, True, found, link)
    return Report(
        PrerequisiteKind.TOOL,
        name,
        False,
        f"`{name}` is not installed or not on PATH",
        link,
        f"Install {name}" + (f": {link}" if link else "") + ".",
    )


def check(prerequisite: Prerequisite, env: Mapping[str, str] | None = None) -> Report:
    if prerequisite.kind is PrerequisiteKind.DOCKER:
        return docker_engine(env)
    if prerequisite.kind is PrerequisiteKind.CLUSTER:
        return kubernetes_context(env)
    return tool(prerequisite.name, prerequisite.link, env)


class EngineCache:
    """Remembers the Docker engine's answer briefly: a page of docker steps asks once, not per step."""

    def __init__(self, ttl: float = 10.0) -> None:
        self._ttl = ttl
        self._answer: tuple[float, str, Report] | None = None

    def docker(self, env: Mapping[str, str]) -> Report:
        host = docker_host(env)
        now = time.monotonic()
        if (
            self._answer is not None
            and self._answer[1] == host
            and now - self._answer[0] < self._ttl
            and self._answer[2].ok
        ):
            return self._answer[2]
        report = docker_engine(env)
        self._answer = (now, host, report)
        return report


def _flavour(name: str, found: str, flavour: Flavour, link: str, env: Mapping[str, str]) -> Report:
    """Tell the right program from a namesake by what ``--version`` says."""
    try:
        done = subprocess.run(
            [found, "--version"], capture_output=True, text=True, timeout=5, env=dict(env), check=False
        )
        said = (done.stdout + done.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as error:
        said = f"no answer to --version ({error})"
    first = said.splitlines()[0] if said else "nothing"
    if flavour.mark in said.lower():
        return Report(PrerequisiteKind.TOOL, name, True, f"{found} ({first})", link or flavour.link)
    return Report(
        PrerequisiteKind.TOOL,
        name,
        False,
        f"`{name}` at {found} is not {flavour.who}: `{name} --version` says {first!r}",
        flavour.link,
        f"Install {flavour.who} ({flavour.link}) ahead of it on PATH: the pages use its syntax.",
    )
