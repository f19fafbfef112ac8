"""``--manuscript URL``: a real git repository on disk, cloned through ``file://`` by the real git."""

import subprocess
import time

import pytest

from tests.support.cli import run_cli
from tutorial.manuscript import locate, remote

PAGE = """# Hello From Git

```bash
echo "{greeting}"
```
"""


def git(*args, cwd):
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Author",
            "-c",
            "user.email=author@example.com",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def commit(repo, greeting, message):
    (repo / "manuscript").mkdir(exist_ok=True)
    (repo / "manuscript" / "hello.md").write_text(PAGE.format(greeting=greeting))
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", message, cwd=repo)


@pytest.fixture
def repo(tmp_path):
    """A repository with two commits on main, a tag on the first, and a branch."""
    path = tmp_path / "upstream"
    path.mkdir()
    git("init", "-q", cwd=path)
    commit(path, "hello from v1", "first")
    git("tag", "v1", cwd=path)
    commit(path, "hello from main", "second")
    git("checkout", "-q", "-b", "workshop", cwd=path)
    commit(path, "hello from the workshop branch", "third")
    git("checkout", "-q", "main", cwd=path)
    return path


def cli(*args, cwd, env=None):
    return run_cli(*args, cwd=cwd, env={"NO_COLOR": "1", **(env or {})})


@pytest.fixture
def work(tmp_path):
    path = tmp_path / "work"
    path.mkdir()
    return path


def test_a_url_is_cloned_shallow_and_its_manuscript_used(repo, work):
    url = repo.as_uri()
    result = cli("run", "hello.md", "--manuscript", url, "--workdir", work, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hello from main" in result.stdout
    assert f"cloned {url} into " in result.stderr
    clones = list(remote.cache_root().iterdir())
    assert len(clones) == 1 and clones[0].name.startswith("upstream-")
    shallow = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"], cwd=clones[0], capture_output=True, text=True, check=True
    )
    assert shallow.stdout.strip() == "true"


def test_a_second_launch_reuses_the_clone_and_says_how_old_it_is(repo, work):
    url = repo.as_uri()
    cli("lint", "--manuscript", url, cwd=work)
    commit(repo, "hello after the clone", "fourth")  # upstream moves on
    again = cli("run", "hello.md", "--manuscript", url, cwd=work)
    assert again.returncode == 0, again.stderr
    assert "hello from main" in again.stdout  # the cached clone, not a new one
    assert f"using the clone of {url} made " in again.stderr and " ago" in again.stderr
    assert "--refresh" in again.stderr
    refreshed = cli("run", "hello.md", "--manuscript", url, "--refresh", cwd=work)
    assert "hello after the clone" in refreshed.stdout
    assert f"cloned {url}" in refreshed.stderr


def test_ref_picks_a_tag_or_a_branch(repo, work):
    url = repo.as_uri()
    tagged = cli("run", "hello.md", "--manuscript", url, "--ref", "v1", cwd=work)
    assert "hello from v1" in tagged.stdout, tagged.stderr
    branch = cli("--manuscript", url, "--ref", "workshop", "run", "hello.md", cwd=work)  # as global options
    assert "hello from the workshop branch" in branch.stdout, branch.stderr
    assert len(list(remote.cache_root().iterdir())) == 2  # one clone per ref


def test_an_unknown_ref_or_repository_is_an_error_and_runs_nothing(repo, work, tmp_path):
    missing = cli("run", "hello.md", "--manuscript", repo.as_uri(), "--ref", "no-such-branch", cwd=work)
    assert missing.returncode == 2
    assert "cannot clone 'no-such-branch'" in missing.stderr
    nowhere = cli("lint", "--manuscript", (tmp_path / "nothing-here").as_uri(), cwd=work)
    assert nowhere.returncode == 2 and "cannot clone" in nowhere.stderr
    assert not (work / ".adventure").exists()
    with pytest.raises(remote.ManuscriptError, match="not a branch or tag name"):
        remote.checkout(repo.as_uri(), "--upload-pack=touch")  # never an option of git


def test_a_repository_without_a_manuscript_folder_is_an_error(tmp_path, work):
    bare = tmp_path / "plain"
    bare.mkdir()
    git("init", "-q", cwd=bare)
    (bare / "README.md").write_text("# Not a manuscript\n")
    git("add", "-A", cwd=bare)
    git("commit", "-q", "-m", "readme", cwd=bare)
    result = cli("lint", "--manuscript", bare.as_uri(), cwd=work)
    assert result.returncode == 2 and "has no manuscript/ folder" in result.stderr


def test_ref_without_a_url_is_a_usage_error(work, tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n")
    result = cli("lint", "--manuscript", folder, "--ref", "main", cwd=work)
    assert result.returncode == 2 and "--ref and --refresh go with --manuscript URL" in result.stderr


def test_credentials_in_a_url_are_never_printed():
    assert remote.shown("https://someone:tok3n@example.com/o/r.git") == "https://example.com/o/r.git"
    assert remote.shown("git@github.com:o/r.git") == "git@github.com:o/r.git"
    assert locate.is_remote("git@github.com:vfarcic/cncf-demo.git")
    assert locate.is_remote("https://github.com/vfarcic/cncf-demo")
    assert not locate.is_remote("manuscript")
    assert not locate.is_remote("/tmp/x:y")


def test_failed_clone_message_hides_credentials(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    url = f"file://user:tok3n@localhost{tmp_path}/missing"
    with pytest.raises(remote.ManuscriptError) as error:
        remote.checkout(url)
    assert "tok3n" not in str(error.value)


def test_age_in_words():
    assert remote.age_in_words(1) == "1 second"
    assert remote.age_in_words(125) == "2 minutes"
    assert remote.age_in_words(3 * 3600 + 5) == "3 hours"
    assert remote.age_in_words(86400) == "1 day"
    checkout = remote.Checkout(
        "https://e.org/r", "", remote.cache_root(), remote.cache_root(), time.time() - 7200, False
    )
    assert "made 2 hours ago" in checkout.describe()


def test_two_launches_cloning_at_once_keep_the_first_clone(repo, work):
    url = repo.as_uri()
    first = remote.checkout(url)
    (first.clone / "in-use").write_text("a launch reads this clone")
    remote._clone(url, "", first.clone, replace=False)  # the slower launch finishes its clone
    assert (first.clone / "in-use").exists()
    assert [p.name for p in first.clone.parent.iterdir()] == [first.clone.name]  # nothing left behind
    remote._clone(url, "", first.clone, replace=True)  # --refresh does replace it
    assert not (first.clone / "in-use").exists()
    assert [p.name for p in first.clone.parent.iterdir()] == [first.clone.name]
