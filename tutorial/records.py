"""Records: the engine's dataclasses, created at a fraction of what the standard library's cost on Python 3.11.

Every command's start imports the engine, and the engine is made of small records (pages,
steps, conditions, outcomes, progress). On Python 3.11 and 3.12, ``dataclasses`` compiles
each method it generates (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, the frozen
``__setattr__`` and ``__delattr__``) from source text with an ``exec`` of its own: for our
records that was a quarter of all the time spent importing, and compiling is most of it
(one ``exec`` of all the methods of a class costs about as much as the separate ones).

So ``record`` lets ``dataclasses`` find the fields (``fields``, ``replace``, ``is_dataclass``,
``__match_args__`` work as ever), compiles only ``__init__``, from the lines ``dataclasses``
writes (its real parameters make the signature, the keyword arguments and the speed of
creating a record), and gives the other methods as closures over the field names, doing
what the standard library's do: nothing else needs compiling. From Python 3.13 on,
``dataclasses`` compiles the methods of a class in one go, and ``record`` is simply
``dataclass(slots=True, ...)``.

Only what the project's records use is supported: ``slots`` (the default) or not, ``frozen``,
fields with defaults, ``default_factory``, ``init=False`` (with ``__post_init__``),
``repr=False``, ``compare=False`` and ``hash=``. A class asking for anything else (a base
class that is a dataclass, ``InitVar``, keyword-only fields, its own ``__eq__`` or
``__repr__``...) is refused with a TypeError when it is decorated, rather than made to behave
differently from the standard library's.

One difference, on purpose: setting or deleting an attribute that is not a field of a frozen
slotted record raises ``FrozenInstanceError``; the standard library's slotted classes of 3.11
to 3.13 fail there with a TypeError from ``super()`` (their methods keep the class from before
the slots were added). Both refuse the change.
"""

from __future__ import annotations

import dataclasses
import sys
from _thread import get_ident
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")

#: The standard library compiles every method of a class in one exec from this version on.
ONE_EXEC_IN_STDLIB = (3, 13)

#: Methods ``record`` writes; a class that defines one itself is refused (the stdlib would keep it).
_GENERATED = (
    "__init__",
    "__repr__",
    "__eq__",
    "__hash__",
    "__setattr__",
    "__delattr__",
    "__getstate__",
    "__setstate__",
    "__match_args__",
)


@overload
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(*, frozen: bool = False, slots: bool = True) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(
    cls: type[_T] | None = None, /, *, frozen: bool = False, slots: bool = True
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """``@dataclass(slots=True)`` as ``@record``, ``@dataclass(frozen=True, slots=True)`` as ``@record(frozen=True)``.

    ``slots=False`` keeps an instance ``__dict__`` (for a ``functools.cached_property``).
    """

    def decorate(cls: type[_T]) -> type[_T]:
        _refuse_the_unsupported(cls)
        if sys.version_info >= ONE_EXEC_IN_STDLIB:
            made: type[_T] = dataclasses.dataclass(cls, frozen=frozen, slots=slots)
            _refuse_unsupported_fields(made)
            return made
        return _make(cls, frozen=frozen, slots=slots)

    return decorate if cls is None else decorate(cls)


def _refuse_the_unsupported(cls: type) -> None:
    """A TypeError for what ``record`` does not reproduce, before anything is made."""
    own = [name for name in _GENERATED if name in cls.__dict__]
    if own:
        raise TypeError(f"record {cls.__qualname__} defines {', '.join(own)} itself: use dataclasses.dataclass")
    for base in cls.__mro__[1:]:
        if dataclasses.is_dataclass(base):
            raise TypeError(f"record {cls.__qualname__} inherits fields from {base.__qualname__}: not supported")


def _refuse_unsupported_fields(cls: type) -> None:
    """A TypeError for ``InitVar`` and keyword-only fields, which no record uses."""
    initvar = getattr(dataclasses, "_FIELD_INITVAR", None)
    for f in cls.__dataclass_fields__.values():  # type: ignore[attr-defined]
        if f._field_type is initvar:
            raise TypeError(f"record {cls.__qualname__}: InitVar field {f.name!r} is not supported")
        if f.kw_only is True:
            raise TypeError(f"record {cls.__qualname__}: keyword-only field {f.name!r} is not supported")


def _make(cls: type[_T], *, frozen: bool, slots: bool) -> type[_T]:
    """The class with its fields found by ``dataclasses``, then its methods added."""
    missing_doc = not cls.__doc__
    if missing_doc:
        cls.__doc__ = "-"  # spares dataclasses a signature of a class without its __init__ yet
    made: type[_T] = dataclasses.dataclass(cls, init=False, repr=False, eq=False, frozen=False, slots=slots)
    _refuse_unsupported_fields(made)
    params = made.__dataclass_params__  # type: ignore[attr-defined]
    params.init = params.repr = params.eq = True
    params.frozen = frozen

    fields = dataclasses.fields(made)  # type: ignore[arg-type]  # in order; without ClassVars
    methods = [_init(made, fields, frozen=frozen, slots=slots), *_compare(fields)]
    if frozen:
        methods += _frozen(made, fields, slots=slots)
    for method in methods:
        method.__qualname__ = f"{made.__qualname__}.{method.__name__}"
        setattr(made, method.__name__, method)
    if not frozen:
        made.__hash__ = None  # type: ignore[assignment]  # eq without frozen: unhashable, as dataclasses decides
    if missing_doc:
        import inspect  # only for a record without a docstring; none of ours

        try:
            text = str(inspect.signature(made)).replace(" -> None", "")
        except (TypeError, ValueError):
            text = ""
        made.__doc__ = made.__name__ + text
    return made


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...], *, frozen: bool, slots: bool) -> Callable[..., None]:
    """``__init__``, compiled from the lines dataclasses of Python 3.11 writes, so it is as direct as theirs.

    Its parameters are real (names, defaults, annotations), for ``inspect.signature``, keyword
    arguments and speed: it is the one method compiled, and the one that runs most.
    """
    closure: dict[str, Any] = {
        "__dataclass_setattr__": object.__setattr__,
        "_HAS_DEFAULT_FACTORY": getattr(dataclasses, "_HAS_DEFAULT_FACTORY"),  # noqa: B009 - the <factory> marker
    }
    annotations: dict[str, Any] = {}
    me = "__dataclass_self__" if any(f.name == "self" for f in fields) else "self"
    params = [me]
    body = []
    seen_default = False
    for f in fields:
        default = f"_dflt_{f.name}"
        has_default = f.default is not dataclasses.MISSING
        has_factory = f.default_factory is not dataclasses.MISSING
        if f.init:
            annotations[f.name] = f.type
            if has_default or has_factory:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default argument {f.name!r} follows default argument")
            if has_default:
                closure[default] = f.default
                params.append(f"{f.name}={default}")
            elif has_factory:
                params.append(f"{f.name}=_HAS_DEFAULT_FACTORY")
            else:
                params.append(f.name)
        if has_factory:
            closure[default] = f.default_factory
            value = f"{default}() if {f.name} is _HAS_DEFAULT_FACTORY else {f.name}" if f.init else f"{default}()"
        elif f.init:
            value = f.name
        elif slots and has_default:
            closure[default] = f.default
            value = default
        else:
            continue  # the class attribute holds the default, or __post_init__ sets it
        body.append(f"__dataclass_setattr__({me},{f.name!r},{value})" if frozen else f"{me}.{f.name}={value}")
    annotations["return"] = None
    if hasattr(cls, "__post_init__"):
        body.append(f"{me}.__post_init__()")
    source = "\n".join(
        [
            f"def __create_fn__({', '.join(closure)}):",
            f" def __init__({','.join(params)}):",
            *(f"  {line}" for line in body or ["pass"]),
            " return __init__",
        ]
    )
    module = sys.modules.get(cls.__module__)
    namespace: dict[str, Any] = {}
    exec(source, module.__dict__ if module is not None else {}, namespace)  # noqa: S102 - our text, as dataclasses does
    init: Callable[..., None] = namespace["__create_fn__"](**closure)
    init.__annotations__ = annotations
    return init


def _getter(names: list[str]) -> Callable[[object], tuple[Any, ...]]:
    """The tuple of these attributes of an object, as ``(obj.a,obj.b,)`` gives it (``()`` for none)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda _obj: ()


def _compare(fields: tuple[dataclasses.Field[Any], ...]) -> list[Callable[..., Any]]:
    """``__repr__`` and ``__eq__`` as dataclasses writes them, as closures over the field names.

    They need no compiling: what they do depends on the names only, not on the signature.
    """
    shown_names = [f.name for f in fields if f.repr]
    shown = _getter(shown_names)
    compared = _getter([f.name for f in fields if f.compare])
    running: set[tuple[int, int]] = set()  # dataclasses' guard: a record that holds itself shows "..."

    def __repr__(self: object) -> str:
        key = id(self), get_ident()
        if key in running:
            return "..."
        running.add(key)
        try:
            name = self.__class__.__qualname__
            return name + "(" + ", ".join([f"{n}={v!r}" for n, v in zip(shown_names, shown(self), strict=True)]) + ")"
        finally:
            running.discard(key)

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    return [__repr__, __eq__]


def _frozen(cls: type, fields: tuple[dataclasses.Field[Any], ...], *, slots: bool) -> list[Callable[..., Any]]:
    """``__hash__``, the refusing ``__setattr__``/``__delattr__``, and for slots the pickling pair."""
    names = tuple(f.name for f in fields)
    hashed = _getter([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    everything = _getter(list(names))
    assign = object.__setattr__

    def __hash__(self: object) -> int:
        return hash(hashed(self))

    def __setattr__(self: object, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    def __getstate__(self: object) -> list[Any]:
        return list(everything(self))

    def __setstate__(self: object, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=False):  # a short state sets fewer, as dataclasses'
            assign(self, name, value)

    made: list[Callable[..., Any]] = [__hash__, __setattr__, __delattr__]
    return [*made, __getstate__, __setstate__] if slots else made
