"""``cncf-adventure run --junit FILE``: real bash, the real command line, the XML parsed back."""

import textwrap
import xml.etree.ElementTree as ET

import pytest

from tests.support.cli import run_cli

ALPHA = """
# Alpha

## Do

```bash
echo "alpha ok"
```

```bash
export API_TOKEN=[...]
echo "token is $API_TOKEN"
echo "about to fail"
false
echo never
```

```bash
echo "after the failure"
```
"""

BETA = """
# Beta

## Do

```bash
# If EKS
echo "only on EKS"
```

```bash
echo beta
```
"""

SECRET = "s3cr3t-Value-42"


@pytest.fixture
def book(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "alpha.md").write_text(textwrap.dedent(ALPHA).lstrip())
    (root / "beta.md").write_text(textwrap.dedent(BETA).lstrip())
    work = tmp_path / "work"
    work.mkdir()
    return root, work


def run(*args, cwd):
    return run_cli("run", *args, cwd=cwd, env={"NO_COLOR": "1"}, timeout=60)


def cases(suite):
    return {case.get("name").split(":")[0]: case for case in suite.iter("testcase")}


def test_one_suite_per_page_one_case_per_step(book, tmp_path):
    root, work = book
    report = tmp_path / "reports" / "adventure.xml"
    result = run(
        "alpha.md", "beta.md", "--manuscript", root, "--keep-going", "--var", f"API_TOKEN={SECRET}",
        "--junit", report, cwd=work,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    tree = ET.parse(report)
    top = tree.getroot()
    assert top.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in top.findall("testsuite")}
    assert list(suites) == ["alpha.md", "beta.md"]
    alpha, beta = suites["alpha.md"], suites["beta.md"]
    assert (alpha.get("tests"), alpha.get("failures"), alpha.get("skipped")) == ("3", "1", "0")
    assert (beta.get("tests"), beta.get("failures"), beta.get("skipped")) == ("2", "0", "1")
    assert (top.get("tests"), top.get("failures"), top.get("skipped")) == ("5", "1", "1")

    steps = cases(alpha)
    assert list(steps) == ["step 1 (line 6)", "step 2 (line 10)", "step 3 (line 18)"]
    passed = steps["step 1 (line 6)"]
    assert passed.find("failure") is None and passed.find("skipped") is None
    assert passed.get("classname") == "alpha.md" and passed.get("line") == "6"
    assert passed.findtext("system-out") == "alpha ok"

    failure = steps["step 2 (line 10)"].find("failure")
    assert failure is not None
    assert failure.get("message") == "exit status 1 at line 13"
    assert "alpha.md:13" in failure.text
    assert "failing line: false" in failure.text
    assert "about to fail" in failure.text  # the output's tail
    assert "never" not in failure.text

    skipped = cases(beta)["step 1 (line 6)"].find("skipped")
    assert skipped is not None and "EKS" in skipped.get("message")
    assert float(alpha.get("time")) > 0


def test_secrets_never_reach_the_report(book, tmp_path):
    root, work = book
    report = tmp_path / "adventure.xml"
    run("alpha.md", "--manuscript", root, "--var", f"API_TOKEN={SECRET}", "--junit", report, cwd=work)
    text = report.read_text(encoding="utf-8")
    assert "token is" in text  # the line that printed it is there...
    assert SECRET not in text  # ...with the value masked


def test_steps_left_after_a_failure_are_skipped_with_the_reason(book, tmp_path):
    root, work = book
    report = tmp_path / "adventure.xml"
    run("alpha.md", "beta.md", "--manuscript", root, "--var", f"API_TOKEN={SECRET}", "--junit", report, cwd=work)
    suites = {suite.get("name"): suite for suite in ET.parse(report).getroot().findall("testsuite")}
    after = cases(suites["alpha.md"])["step 3 (line 18)"].find("skipped")
    assert after is not None and after.get("message") == "not run: an earlier step failed"
    assert suites["beta.md"].get("skipped") == "2"


def test_output_a_terminal_would_act_on_is_made_valid_xml(book, tmp_path):
    root, work = book
    (root / "noisy.md").write_text("# Noisy\n\n```bash\nprintf 'red \\033[31mtext\\033[0m and a \\001 byte\\n'\n```\n")
    report = tmp_path / "adventure.xml"
    result = run("noisy.md", "--manuscript", root, "--junit", report, cwd=work)
    assert result.returncode == 0, result.stderr
    out = ET.parse(report).getroot().find("testsuite/testcase/system-out")
    assert out is not None and out.text.startswith("red text and a ")
    assert "\x1b" not in out.text


def test_a_report_that_cannot_be_written_is_an_error(book, tmp_path):
    root, work = book
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("beta.md", "--manuscript", root, "--junit", blocker / "report.xml", cwd=work)
    assert result.returncode == 2
    assert "cannot write the JUnit report" in result.stderr
