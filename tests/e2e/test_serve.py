"""``cncf-adventure serve``: the real server, real HTTP, and the app in a real headless Chromium."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support import services

PAGE = """# Hello Browser

## Do

```bash
echo "browser says $((40 + 2))"
```

```bash
echo "second step"
```
"""

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    def __init__(self, process, port, sessions, lines):
        self.process, self.port, self.sessions, self.lines = process, port, sessions, lines
        self.base = f"http://127.0.0.1:{port}"

    @property
    def token(self):
        return next(line.split(": ", 1)[1] for line in self.lines if line.startswith("access token: "))


@contextlib.contextmanager
def serving(tmp_path, *extra, host="0.0.0.0"):
    root = tmp_path / "manuscript"
    root.mkdir(exist_ok=True)
    (root / "hello.md").write_text(PAGE)
    sessions = tmp_path / "sessions"
    port = free_port()
    command = [sys.executable, "-m", "tutorial", "serve", "--manuscript", str(root), "--start", "hello.md"]
    command += ["--host", host, "--port", str(port), "--sessions", str(sessions), *extra]
    env = {k: v for k, v in os.environ.items() if k != "ADVENTURE_SERVE_TOKEN"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
    )
    lines = []
    try:
        deadline = time.monotonic() + 30
        while not any(line.startswith("each browser session") for line in lines):
            line = process.stdout.readline()
            if not line:
                raise AssertionError(f"serve ended: {''.join(lines)}")
            lines.append(line.rstrip("\n"))
            assert time.monotonic() < deadline, lines
        while True:  # listening?
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            assert time.monotonic() < deadline and process.poll() is None, lines
            time.sleep(0.05)
        yield Served(process, port, sessions, lines)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url, headers=None):
    """(status, headers, body) without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def children(pid):
    """Processes whose parent is ``pid`` (the apps a server started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def test_away_from_loopback_every_request_without_the_token_gets_403_and_starts_nothing(tmp_path):
    with serving(tmp_path) as served:
        token = served.token
        assert len(token) >= 24
        assert f"open http://0.0.0.0:{served.port}/?token={token}" in served.lines
        for path in ("/", "/ws", "/static/js/textual.js", "/?token=not-the-token"):
            status, _, body = get(served.base + path)
            assert status == 403, path
        status, _, body = get(served.base + "/")
        assert "Access token needed" in body and 'name="token"' in body  # the page asks for it
        status, _, _ = get(served.base + "/ws", {"Cookie": "adventure_token=wrong", "Upgrade": "websocket"})
        assert status == 403
        assert not served.sessions.exists()
        assert children(served.process.pid) == []


def test_the_token_in_the_url_becomes_a_cookie_and_leaves_the_address(tmp_path):
    with serving(tmp_path) as served:
        status, headers, _ = get(f"{served.base}/?token={served.token}&fontsize=18")
        assert status == 302
        assert headers["Location"] == "/?fontsize=18"
        cookie = headers["Set-Cookie"]
        assert cookie.startswith(f"adventure_token={served.token};")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        status, headers, body = get(served.base + "/", {"Cookie": f"adventure_token={served.token}"})
        assert status == 200
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in body
        assert "adventure_session=" in headers["Set-Cookie"]
        cross = get(
            served.base + "/ws",
            {"Cookie": f"adventure_token={served.token}", "Origin": "http://attacker.example"},
        )
        assert cross[0] == 403


def test_on_loopback_no_token_is_needed(tmp_path):
    with serving(tmp_path, host="127.0.0.1") as served:
        assert not any(line.startswith("access token") for line in served.lines)
        status, _, body = get(served.base + "/")
        assert status == 200 and "textual.js" in body
        status, _, _ = get(served.base + "/ws", {"Origin": "http://evil.example:8000"})
        assert status == 403  # another site's page cannot drive a session, even on loopback


def test_a_short_token_is_refused(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "serve", "--host", "0.0.0.0", "--token", "short", "--port", "1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=30,
    )
    assert result.returncode == 2 and "at least 16 characters" in result.stderr


# -- in a real browser ------------------------------------------------------------------------

#: Before any page script runs: remember each xterm.js Terminal made, so the test can read
#: its screen buffer (what the page shows) through xterm.js's public API.
CAPTURE_TERMINALS = """
window.__terminals = [];
Object.defineProperty(Object.prototype, '_core', {configurable: true, set(value) {
  Object.defineProperty(this, '_core', {value, writable: true, configurable: true});
  window.__terminals.push(this);
}});
"""

READ_SCREEN = """
const terminal = window.__terminals.find(t => t.buffer && t.rows);
if (!terminal) return '';
const lines = [];
for (let row = 0; row < terminal.rows; row++) {
  lines.push(terminal.buffer.active.getLine(row).translateToString(true));
}
return lines.join('\\n');
"""


@pytest.fixture
def browser(tmp_path, monkeypatch):
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        services.unavailable("Chromium with chromedriver (Debian's chromium and chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",  # the page's web font: never fetched
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CAPTURE_TERMINALS})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def screen_shows(driver, *texts, timeout=45.0):
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = driver.execute_script(READ_SCREEN) or ""
        if all(text in shown for text in texts):
            return shown
        time.sleep(0.2)
    raise AssertionError(f"the page never showed {texts!r}; it shows:\n{shown}")


def press(driver, key):
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(key)


def test_in_a_browser_run_a_step_see_its_output_and_keep_progress_over_a_reload(tmp_path, browser):
    with serving(tmp_path) as served:
        browser.get(f"{served.base}/?token={served.token}")
        assert browser.current_url == f"{served.base}/"  # the token left the address bar
        screen_shows(browser, "Hello Browser", "○ pending")
        press(browser, "r")
        shown = screen_shows(browser, "browser says 42")
        assert "✔" in shown

        sessions = list(served.sessions.iterdir())
        assert len(sessions) == 1
        assert "hello.md" in (sessions[0] / "settings.yaml").read_text()
        assert oct(sessions[0].stat().st_mode & 0o777) == "0o700"

        browser.refresh()  # a new app process, in the same work directory
        shown = screen_shows(browser, "Hello Browser", "✔ passed")
        assert list(served.sessions.iterdir()) == sessions
        assert len(children(served.process.pid)) == 1  # the old app was stopped
