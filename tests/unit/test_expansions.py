"""The variables a step's code reads, as bash would expand them."""

import pytest

from tutorial.shell.expansions import expanded_names


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ('echo "$A ${B:-x}" $(echo $E) ${#F} ${G[1]} "${H}" ${!I}', {"A", "B", "E", "F", "G", "H", "I"}),
        ('X=$J; curl -H "Authorization: Bearer $TOKEN" https://x', {"J", "TOKEN"}),
        ("echo '$QUOTED' plain", set()),
        ("cat <<EOF\n$INSIDE and ${BRACED}\nEOF", {"INSIDE", "BRACED"}),
        ("for x in $LIST; do echo $x; done", {"LIST", "x"}),
        ("echo no dollars here", set()),
        ("echo $1 $? $@", set()),
        ("eval 'echo $EVALED'", {"EVALED"}),
        ("bash -c 'curl -H \"Authorization: $IN_BASH\" x'; /bin/sh -ec 'echo $IN_SH'", {"IN_BASH", "IN_SH"}),
        ("kubectl exec pod -- sh -c 'echo $IN_THE_POD'", set()),
    ],
)
def test_the_names_a_step_reads(code: str, names: set[str]) -> None:
    assert expanded_names(code) == names


def test_code_bashlex_cannot_read_is_looked_at_whole_on_the_safe_side() -> None:
    assert "TOKEN" in expanded_names('case $x in (a) echo "$TOKEN";; esac; [[ $y =~ ( ]]')
