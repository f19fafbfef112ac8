"""Records behave as the standard library's dataclasses do: each class body is made both ways and compared."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import sys
import types
import weakref
from collections.abc import Callable
from dataclasses import FrozenInstanceError, InitVar, dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import pytest

from tutorial.records import record

Decorate = Callable[[type], type]
Example = tuple[tuple[Any, ...], dict[str, Any]]

# Made classes live in these modules, so that pickle finds them by name, as it finds ours.
STDLIB = types.ModuleType("tests.unit.records_as_stdlib")
RECORD = types.ModuleType("tests.unit.records_as_record")
sys.modules[STDLIB.__name__] = STDLIB
sys.modules[RECORD.__name__] = RECORD


def fence(decorate: Decorate) -> type:
    """Defaults, a list made per instance, an immutable default, a field set by __post_init__."""

    @decorate
    class Fence:
        """A block as the parser found it."""

        info: str
        fence_line: int
        intro: str = ""
        checks: list[str] = field(default_factory=list)
        secrets: frozenset[str] = frozenset()
        language: str = field(init=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "language", self.info.split(" ", 1)[0].lower())

    return Fence


FENCE_EXAMPLES: list[Example] = [
    (("Bash", 1), {}),
    (("bash x", 1), {}),
    (("Bash", 1), {"intro": "hello", "checks": ["a"]}),
    (("Bash", 2), {"secrets": frozenset({"TOKEN"})}),
    ((), {"info": "sh", "fence_line": 3, "intro": "x", "checks": [], "secrets": frozenset()}),
]


def context(decorate: Decorate) -> type:
    """A cache left out of equality and hash, a field left out of repr, one hashed but not compared."""

    @decorate
    class Context:
        """What a resolver needs to know."""

        root: str
        pages: frozenset[str]
        token: str | None = field(default=None, repr=False)
        weight: int = field(default=0, compare=False, hash=True)
        cache: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
        kind: ClassVar[str] = "context"

    return Context


CONTEXT_EXAMPLES: list[Example] = [
    (("/m", frozenset({"a.md"})), {}),
    (("/m", frozenset({"a.md"})), {"cache": {"x": "y"}}),
    (("/m", frozenset({"a.md"})), {"token": "secret"}),
    (("/m", frozenset({"a.md"}), None, 3), {}),
    (("/n", frozenset()), {"weight": 1}),
]


def outcome(decorate: Decorate) -> type:
    """A record whose computed view is cached on the instance (no slots for it)."""

    @decorate
    class Outcome:
        """What the progress keeps of one step."""

        status: str
        seconds: float = 0.0
        exit: int | None = None

        @cached_property
        def data(self) -> dict[str, Any]:
            return {"status": self.status, "exit": self.exit}

    return Outcome


OUTCOME_EXAMPLES: list[Example] = [
    (("done",), {}),
    (("done", 1.5), {}),
    (("failed",), {"exit": 2}),
    (("done", float("nan")), {}),
]


def nothing(decorate: Decorate) -> type:
    @decorate
    class Nothing:
        pass  # no docstring either: dataclasses writes one from the signature

    return Nothing


NOTHING_EXAMPLES: list[Example] = [((), {})]


def single(decorate: Decorate) -> type:
    @decorate
    class Single:
        """One field."""

        name: str

    return Single


SINGLE_EXAMPLES: list[Example] = [(("a",), {}), (("b",), {}), ((), {"name": "a"})]


def made_later(decorate: Decorate) -> type:
    """Fields outside __init__ that still start with a value: a default and a factory."""

    @decorate
    class Tally:
        """Counts as it goes."""

        label: str
        count: int = field(default=5, init=False)
        seen: list[str] = field(default_factory=list, init=False)

    return Tally


MADE_LATER_EXAMPLES: list[Example] = [(("a",), {}), (("b",), {})]


def selfish(decorate: Decorate) -> type:
    """A field named ``self``: __init__ names its own first parameter otherwise."""

    @decorate
    class Selfish:
        """Odd, but allowed."""

        self: str
        other: int = 1

    return Selfish


SELFISH_EXAMPLES: list[Example] = [(("me",), {}), (("me", 2), {}), ((), {"self": "you"})]

SHAPES: dict[Callable[[Decorate], type], list[Example]] = {
    fence: FENCE_EXAMPLES,
    context: CONTEXT_EXAMPLES,
    outcome: OUTCOME_EXAMPLES,
    nothing: NOTHING_EXAMPLES,
    single: SINGLE_EXAMPLES,
    made_later: MADE_LATER_EXAMPLES,
    selfish: SELFISH_EXAMPLES,
}
FLAGS = [(True, True), (False, True), (True, False), (False, False)]  # (frozen, slots)


def _make_pair(shape: Callable[[Decorate], type], frozen: bool, slots: bool) -> tuple[type, type]:
    """The shape made by dataclasses and by record, each reachable by pickle under the same name."""
    name = f"{shape.__name__}_{'frozen' if frozen else 'mutable'}_{'slots' if slots else 'dict'}"
    made = []
    for module, decorate in (
        (STDLIB, dataclass(frozen=frozen, slots=slots)),
        (RECORD, record(frozen=frozen, slots=slots)),
    ):
        cls = shape(decorate)
        cls.__module__ = module.__name__
        cls.__qualname__ = name
        setattr(module, name, cls)
        made.append(cls)
    return made[0], made[1]


CASES = [
    pytest.param(*_make_pair(shape, frozen, slots), examples, id=f"{shape.__name__}-frozen{frozen}-slots{slots}")
    for shape, examples in SHAPES.items()
    if shape is not outcome
    for frozen, slots in FLAGS
] + [
    pytest.param(*_make_pair(outcome, frozen, False), OUTCOME_EXAMPLES, id=f"outcome-frozen{frozen}-slotsFalse")
    for frozen in (True, False)
]


def _instances(cls: type, examples: list[Example]) -> list[Any]:
    return [cls(*args, **kwargs) for args, kwargs in examples]


def _outcome(action: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """What an action gives: its result, or the type and text of what it raised."""
    try:
        return "value", action(*args)
    except Exception as error:  # noqa: BLE001 - the exception is what is compared
        # Python 3.13 names the class with its module in some messages: the modules differ here.
        return type(error).__name__, str(error).replace(RECORD.__name__, "module").replace(STDLIB.__name__, "module")


@pytest.mark.parametrize(("std", "rec", "examples"), CASES)
def test_the_class_looks_the_same(std: type, rec: type, examples: list[Example]) -> None:
    assert inspect.signature(rec) == inspect.signature(std)
    assert str(inspect.signature(rec.__init__)) == str(inspect.signature(std.__init__))
    assert rec.__init__.__annotations__ == std.__init__.__annotations__
    assert rec.__doc__ == std.__doc__
    assert rec.__match_args__ == std.__match_args__
    assert getattr(rec, "__slots__", None) == getattr(std, "__slots__", None)
    assert set(vars(rec)) == set(vars(std))  # the same methods and attributes, no more, no fewer
    assert (rec.__hash__ is None) == (std.__hash__ is None)
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        if name in vars(std) and vars(std)[name] is not None:
            assert getattr(rec, name).__qualname__ == getattr(std, name).__qualname__
    assert dataclasses.is_dataclass(rec)
    params = ("init", "repr", "eq", "order", "unsafe_hash", "frozen")
    assert [getattr(rec.__dataclass_params__, p) for p in params] == [
        getattr(std.__dataclass_params__, p) for p in params
    ]

    def described(cls: type) -> list[tuple[Any, ...]]:
        return [
            (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.compare, f.hash)
            for f in dataclasses.fields(cls)
        ]

    assert described(rec) == described(std)


@pytest.mark.parametrize(("std", "rec", "examples"), CASES)
def test_instances_show_compare_and_hash_the_same(std: type, rec: type, examples: list[Example]) -> None:
    ours, theirs = _instances(rec, examples), _instances(std, examples)
    assert [repr(r) for r in ours] == [repr(s) for s in theirs]
    for i, (r1, s1) in enumerate(zip(ours, theirs, strict=True)):
        for r2, s2 in zip(ours, theirs, strict=True):
            assert (r1 == r2, r1 != r2) == (s1 == s2, s1 != s2)
        assert (r1 == rec(*examples[i][0], **examples[i][1])) == (s1 == std(*examples[i][0], **examples[i][1]))
        assert _outcome(hash, r1) == _outcome(hash, s1)
        for stranger in (None, 1, "x", (), object()):
            assert (r1 == stranger, r1 != stranger) == (s1 == stranger, s1 != stranger)
            assert r1.__eq__(stranger) is NotImplemented
        # A dataclass of the same shape is still another class.
        assert r1.__eq__(s1) is NotImplemented
        assert s1.__eq__(r1) is NotImplemented
        assert (r1 == s1, s1 == r1, r1 != s1) == (False, False, True)


@pytest.mark.parametrize(("std", "rec", "examples"), CASES)
def test_fields_are_set_or_refused_the_same(std: type, rec: type, examples: list[Example]) -> None:
    for cls in (std, rec):  # a fresh list per instance, whichever way the class was made
        first, second = _instances(cls, examples[:1] * 2)
        for f in dataclasses.fields(cls):
            if f.default_factory is not dataclasses.MISSING:
                assert getattr(first, f.name) is not getattr(second, f.name)
    r, s = rec(*examples[0][0], **examples[0][1]), std(*examples[0][0], **examples[0][1])
    for f in dataclasses.fields(std):
        assert _outcome(setattr, r, f.name, 7) == _outcome(setattr, s, f.name, 7)
        assert _outcome(getattr, r, f.name) == _outcome(getattr, s, f.name)
        assert _outcome(delattr, r, f.name) == _outcome(delattr, s, f.name)
        assert _outcome(getattr, r, f.name) == _outcome(getattr, s, f.name)
    if std.__dataclass_params__.frozen:
        # Both refuse a new attribute; on 3.11 to 3.13 the standard library's slotted classes
        # fail with a TypeError from super() before saying why; ours says it is frozen.
        for change in (lambda o: setattr(o, "unknown", 1), lambda o: delattr(o, "unknown")):
            with pytest.raises((AttributeError, TypeError)):
                change(s)
            with pytest.raises(FrozenInstanceError if sys.version_info < (3, 13) else (AttributeError, TypeError)):
                change(r)
    else:
        assert _outcome(lambda: setattr(r, "unknown", 1)) == _outcome(lambda: setattr(s, "unknown", 1))


def _replaced(item: Any, changes: dict[str, Any]) -> str:
    return repr(dataclasses.replace(item, **changes))


def _round_trip(item: Any, protocol: int) -> Any:
    return pickle.loads(pickle.dumps(item, protocol))


def _weakly_held(item: Any) -> bool:
    return weakref.ref(item)() is item


@pytest.mark.parametrize(("std", "rec", "examples"), CASES)
def test_replace_copy_and_pickle_give_the_same(std: type, rec: type, examples: list[Example]) -> None:
    for args, kwargs in examples:
        r, s = rec(*args, **kwargs), std(*args, **kwargs)
        for f in dataclasses.fields(std):
            value = {f.name: getattr(s, f.name, None)}
            assert _outcome(_replaced, r, value) == _outcome(_replaced, s, value)
        assert repr(dataclasses.replace(r)) == repr(dataclasses.replace(s))
        for duplicate in (copy.copy, copy.deepcopy):
            assert repr(duplicate(r)) == repr(duplicate(s))
            assert (duplicate(r) == r) == (duplicate(s) == s)
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
            ours, theirs = _outcome(_round_trip, r, protocol), _outcome(_round_trip, s, protocol)
            assert ours[0] == theirs[0], protocol
            assert ours[0] == "value" or protocol < 2, ours  # what the app needs to hand pages over
            if ours[0] == "value":
                assert type(ours[1]) is rec
                assert repr(ours[1]) == repr(theirs[1])
                assert (ours[1] == r) == (theirs[1] == s)
        assert dataclasses.astuple(r) == dataclasses.astuple(s)
        assert _outcome(_weakly_held, r) == _outcome(_weakly_held, s)


def _called_with_unknown(cls: type) -> Any:
    return cls(unknown=1)


@pytest.mark.parametrize(("std", "rec", "examples"), CASES)
def test_wrong_calls_fail_the_same(std: type, rec: type, examples: list[Example]) -> None:
    assert _outcome(rec, *range(9)) == _outcome(std, *range(9))
    assert _outcome(_called_with_unknown, rec) == _outcome(_called_with_unknown, std)
    ours, theirs = _outcome(rec), _outcome(std)
    assert (ours[0], str(ours[1])) == (theirs[0], str(theirs[1]))


def test_a_record_that_holds_itself_shows_dots() -> None:
    std, rec = _make_pair(fence, False, True)
    for cls in (std, rec):
        item = cls("bash", 1)
        item.checks.append(item)
        shown = "info='bash', fence_line=1, intro='', checks=[...], secrets=frozenset(), language='bash'"
        assert repr(item) == f"{cls.__qualname__}({shown})"


def test_a_record_matches_by_position() -> None:
    _, rec = _make_pair(context, True, True)
    match rec("/m", frozenset()):
        case rec(root, pages):  # type: ignore[misc]
            assert (root, pages) == ("/m", frozenset())
        case _:
            pytest.fail("no match")


def test_the_standard_library_refuses_the_same_bodies() -> None:
    def bad_default(decorate: Decorate) -> type:
        @decorate
        class Bad:
            a: int = 1
            b: int  # type: ignore[misc]

        return Bad

    def mutable_default(decorate: Decorate) -> type:
        @decorate
        class Bad:
            a: list[int] = []  # noqa: RUF012

        return Bad

    for shape in (bad_default, mutable_default):
        assert _outcome(shape, record) == _outcome(shape, dataclass(slots=True))


class _Base:
    """A plain base class, not a dataclass: its methods are inherited as usual."""

    def describe(self) -> str:
        return "based"


def test_a_plain_base_class_is_kept() -> None:
    @record(frozen=True)
    class Derived(_Base):
        """A record on a plain base."""

        a: int

    assert Derived(1).describe() == "based"
    assert Derived(1) == Derived(1)


def _refused(make: Callable[[], type], words: str) -> None:
    with pytest.raises(TypeError, match=words):
        make()


def test_what_records_do_not_support_is_refused_at_decoration() -> None:
    @dataclass
    class Parent:
        a: int

    def inherits() -> type:
        @record
        class Child(Parent):
            b: int = 0

        return Child

    def own_eq() -> type:
        @record
        class Own:
            a: int

            def __eq__(self, other: object) -> bool:
                return True

        return Own

    def own_repr() -> type:
        @record(frozen=True)
        class Own:
            a: int

            def __repr__(self) -> str:
                return "own"

        return Own

    def initvar() -> type:
        @record
        class WithInitVar:
            a: int
            b: InitVar[int] = 0

        return WithInitVar

    def keyword_only() -> type:
        @record
        class KeywordOnly:
            a: int = field(kw_only=True)

        return KeywordOnly

    def ordered() -> type:
        return record(order=True)(type("Ordered", (), {"__annotations__": {"a": "int"}}))  # type: ignore[call-overload]

    _refused(inherits, "inherits fields from")
    _refused(own_eq, "defines __eq__")
    _refused(own_repr, "defines __repr__")
    _refused(initvar, "InitVar")
    _refused(keyword_only, "keyword-only")
    _refused(ordered, "order")


def test_the_projects_records_are_made_by_record() -> None:
    """Every record the engine passes around: its __init__ compiled once, the rest shared closures."""
    from tutorial.manuscript.model import Page, Step
    from tutorial.progress.state import ProgressState, StepRecord

    for cls in (Page, Step, ProgressState, StepRecord):
        assert dataclasses.is_dataclass(cls)
        if sys.version_info < (3, 13):
            assert cls.__repr__.__code__.co_filename.endswith("records.py")
