"""A secret's forms: what masking, saving and the snapshot look for besides the value itself."""

import base64
import os
import stat

import pytest

from tutorial.progress.settings import SettingsFile
from tutorial.progress.state import Progress
from tutorial.shell import statedir
from tutorial.shell.output import MASK, Masker
from tutorial.shell.secret_forms import forms

SECRET = "s3cr3t-Value-42"


@pytest.mark.parametrize("before", ["", "u", "us", "user:", "robot1:"])
@pytest.mark.parametrize("after", ["", "!", "!!", "\n"])
@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode])
def test_base64_of_a_text_holding_the_secret_holds_one_of_its_forms(before, after, encode):
    encoded = encode(f"{before}{SECRET}{after}".encode()).decode()
    assert any(form in encoded for form in forms(SECRET) - {SECRET})


def test_hex_and_case_forms():
    found = forms(SECRET)
    assert {SECRET, SECRET.upper(), SECRET.lower(), SECRET.encode().hex(), SECRET.encode().hex().upper()} <= found
    assert forms("") == set()


def test_no_derived_form_short_enough_to_match_at_random():
    assert all(len(form) >= 4 for form in forms("abc") - {"abc"})


def test_the_masker_masks_every_form_even_split_across_chunks():
    masker = Masker([SECRET])
    auth = base64.b64encode(f"robot1:{SECRET}".encode()).decode()
    text = f"auth={auth} loud={SECRET.upper()} hex={SECRET.encode().hex()}\n"
    streamed = "".join(masker.feed(text[i : i + 5]) for i in range(0, len(text), 5)) + masker.flush()
    assert streamed == masker.mask(text)
    assert SECRET.upper() not in streamed and SECRET.encode().hex() not in streamed
    assert auth[12:-4] not in streamed and streamed.count(MASK) == 3


def test_the_masker_ignores_secrets_too_short_to_mask():
    masker = Masker(["ab"])
    assert masker.mask("6162 AB ab") == "6162 AB ab" and masker.forms == frozenset()


def test_values_holding_a_form_of_a_secret_are_never_saved(tmp_path, write_manuscript):
    progress = Progress(SettingsFile(tmp_path), write_manuscript({"a.md": "# A\n"}))
    progress.mark_secret(["TOKEN"], [SECRET])
    auth = base64.b64encode(f"me:{SECRET}".encode()).decode()
    progress.remember({"AUTH": auth, "LOUD": SECRET.upper(), "TOKEN": "x", "USER": "me"})
    assert progress.state.variables == {"USER": "me"}


def test_the_state_folder_is_made_private_and_ignored(tmp_path):
    folder = tmp_path / statedir.STATE_DIR
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    old = folder / "transcript.log"
    old.write_text("written by an older version\n")
    os.chmod(old, 0o644)
    assert statedir.ensure(tmp_path) == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    ignore = folder / ".gitignore"
    assert ignore.read_text().splitlines()[-1] == "*" and stat.S_IMODE(ignore.stat().st_mode) == 0o600


def test_private_files_are_private_from_their_first_byte(tmp_path):
    target = tmp_path / "step.sh"
    target.write_text("old")
    os.chmod(target, 0o644)
    statedir.write_private(target, "echo new\n")
    assert target.read_text() == "echo new\n" and stat.S_IMODE(target.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh.log"
    with statedir.append_private(fresh) as stream:
        stream.write("line\n")
    statedir.touch_private(tmp_path / "empty")
    assert {stat.S_IMODE(p.stat().st_mode) for p in (fresh, tmp_path / "empty")} == {0o600}


LONG = "k8s-Svc-Account-" + "".join(f"{n:02d}Qx" for n in range(30))  # 136 characters, as a key file's line


def test_base64_wrapped_at_76_columns_is_masked_line_by_line():
    wrapped = base64.encodebytes(LONG.encode()).decode()  # what `base64` prints: 76 columns, then a newline
    lines = wrapped.splitlines()
    assert len(lines) == 3 and len(lines[0]) == 76 and 8 <= len(lines[-1]) < 76
    masker = Masker([LONG])
    text = f"encoded:\n{wrapped}done\n"
    streamed = "".join(masker.feed(text[i : i + 7]) for i in range(0, len(text), 7)) + masker.flush()
    assert streamed == masker.mask(text)
    first, second, last = streamed.splitlines()[1:4]
    assert first == second == MASK
    # the last line's own characters are masked; what the padding decides ("A==") says nothing
    assert last.startswith(MASK) and len(last) <= len(MASK) + 3 and streamed.endswith("\ndone\n")


def test_the_url_safe_encoding_wrapped_at_76_columns_is_masked_too():
    secret = "".join(f"{n:02d}~?>" for n in range(30))  # its base64 holds "+" and "/"
    wrapped = base64.urlsafe_b64encode(secret.encode()).decode()
    assert "-" in wrapped and "_" in wrapped
    lines = [wrapped[i : i + 76] for i in range(0, len(wrapped), 76)]  # `basenc --base64url`
    masked = Masker([secret]).mask("\n".join(lines))
    assert all(line not in masked for line in lines[:2]) and masked.count(MASK) == 3


def test_a_wrapped_last_line_too_short_to_be_specific_is_not_a_form():
    secret = "x" * 60  # 80 characters of base64: a last line of 4
    last = base64.encodebytes(secret.encode()).decode().splitlines()[-1]
    assert len(last) == 4 and last not in forms(secret)
