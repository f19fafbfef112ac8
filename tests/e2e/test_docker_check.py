"""The Docker engine prerequisite, against a real engine (started for the tests, or CI's)."""

import subprocess
import sys
import textwrap

from tutorial.checks.prerequisites import docker_engine


def test_running_engine_reports_its_version(docker_host):
    report = docker_engine({"DOCKER_HOST": docker_host})
    assert report.ok, report.detail
    assert report.detail.startswith("Docker Engine ") and docker_host in report.detail


def test_engine_not_running_says_so_and_what_to_do(tmp_path):
    report = docker_engine({"DOCKER_HOST": f"unix://{tmp_path}/nothing-here.sock"}, timeout=2)
    assert not report.ok
    assert report.detail.startswith("Docker is not running")
    assert "no such socket" in report.detail
    assert "DOCKER_HOST" in report.fix


def test_docker_steps_are_gated_on_the_engine(tmp_path, docker_host):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "d.md").write_text(
        textwrap.dedent("""
        # D

        ```bash
        docker info --format '{{.ServerVersion}}'
        ```
        """).lstrip()
    )
    run = [sys.executable, "-m", "tutorial", "run", "d.md", "--manuscript", str(root)]
    up = subprocess.run(
        run,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "DOCKER_HOST": docker_host},
    )
    assert up.returncode == 0, up.stdout + up.stderr
    down = subprocess.run(
        run,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(tmp_path),
            "DOCKER_HOST": f"unix://{tmp_path}/gone.sock",
        },
    )
    assert down.returncode == 1
    assert "Docker is not running" in down.stdout
    assert down.stdout.splitlines()[-1] == "0 passed, 1 failed, 0 skipped"


def test_doctor_reports_the_engine(tmp_path, docker_host):
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "doctor", "setup.md", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "DOCKER_HOST": docker_host},
    )
    import json

    found = {(p["kind"], p["name"]): p for p in json.loads(result.stdout)["prerequisites"]}
    assert found[("docker", "docker")]["ok"] is True
