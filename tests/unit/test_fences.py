"""Which code blocks become steps, and which are shown but never run."""

from tutorial.manuscript.model import SectionKind


def test_shell_languages_and_unlabelled_blocks_are_steps(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ```bash
        echo bash
        ```

        ```sh
        echo sh
        ```

        ```shell
        echo shell
        ```

        ```
        echo plain
        ```

        ```console
        $ echo console
        console
        ```
        """
        }
    )
    steps = m.page("a.md").steps
    assert [s.language for s in steps] == ["bash", "sh", "shell", "sh", "console"]
    assert all(s.runnable for s in steps)
    assert [s.code for s in steps] == ["echo bash", "echo sh", "echo shell", "echo plain", "echo console"]
    assert [s.line for s in steps] == [4, 8, 12, 16, 20]


def test_other_languages_are_shown_not_run(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ```mermaid
        flowchart TD
          a --> b
        ```

        ```yaml
        apiVersion: v1
        ```

        ```python
        print("hi")
        ```
        """
        }
    )
    assert m.page("a.md").steps == ()


def test_todo_block_and_directory_tree_are_not_runnable(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Setup

        ```bash
        TODO:
        ```

        ## Do

        ```
        .
        ├── Dockerfile
        └── site
            └── index.html
        ```
        """
        }
    )
    todo, tree = m.page("a.md").steps
    assert not todo.runnable and "TODO" in todo.not_runnable_reason
    assert not tree.runnable and "directory tree" in tree.not_runnable_reason
    kinds = [p.kind for p in m.page("a.md").problems]
    assert kinds == ["not-runnable"]  # the TODO is a lint problem; a tree is simply shown


def test_unlabelled_yaml_is_not_run(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        ```
        apiVersion: v1
        kind: Namespace
        metadata:
          name: dev
        ```
        """
        }
    )
    (step,) = m.page("a.md").steps
    assert not step.runnable and "YAML" in step.not_runnable_reason


def test_console_blocks_run_only_prompt_lines(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        ```console
        $ docker version \\
            --format '{{.Server.Version}}'
        28.2.2
        $ echo done
        done
        ```
        """
        }
    )
    (step,) = m.page("a.md").steps
    assert step.code == "docker version \\\n    --format '{{.Server.Version}}'\necho done"
    assert step.line == 2


def test_unclosed_fence_is_reported_and_not_run(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ```bash
        echo one

        ## Continue The Adventure

        * [B](b.md)
        """,
            "b.md": "# B\n",
        }
    )
    page = m.page("a.md")
    (step,) = page.steps
    assert not step.runnable and "never closed" in step.not_runnable_reason
    assert [(p.kind, p.line) for p in page.problems] == [("unclosed-fence", 3)]


def test_code_before_any_h2_is_an_intro_step(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # Setup Prerequisites

        ```bash
        export KUBECONFIG=$PWD/kubeconfig.yaml
        ```

        ## Do

        ```bash
        echo do
        ```
        """
        }
    )
    intro, do = m.page("a.md").steps
    assert intro.section_kind is SectionKind.INTRO and intro.section == ""
    assert do.section_kind is SectionKind.DO and do.section == "Do"


def test_intro_is_the_prose_before_the_block(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Do

        Build the image first.

        ```bash
        docker build .
        ```
        """
        }
    )
    (step,) = m.page("a.md").steps
    assert step.intro == "Build the image first."


def test_fences_inside_list_items_keep_their_lines(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        1. Install it:

           ```bash
           echo inside
           ```
        """
        }
    )
    (step,) = m.page("a.md").steps
    assert step.code == "echo inside"
    assert step.line == 6
