"""`@record`: a frozen dataclass whose `__repr__`, `__eq__` and `__hash__` are closures over its fields.

`dataclass` writes each method it adds as Python source and compiles it with `exec`, per class: for the ~60 frozen
classes a build imports, that was ~90 M instructions of a ~2,100 M build (docs/performance.md, issue 26). `record`
lets `dataclass` make the fields and the frozen `__setattr__`/`__delattr__` as before, and gives the
class the three methods (with `order=True`, the four comparisons too) as closures over the names of its fields: the
same results as the code `dataclass` would have generated (Python 3.11's `_repr_fn`, `_cmp_fn` and `_hash_fn`: the
same text, the same tuple comparisons, the same hash), made without compiling anything. `tests/test_records.py`
checks every record class of the package against `dataclass`'s own methods.

A frozen record's `__init__` is made here too (`_init`): `dataclass`'s, with `object.__setattr__` held by the
function instead of looked up for each field, and a field given its default left to the class: a `Block` is built
(four fields given, three left at their default) for ~7,900 instructions instead of ~12,600, and the instance
is smaller (docs/performance.md, issue 26).

The frozen methods stay generated: a shared `__setattr__` would be called for every field that `__init__` sets
(measured: +150 M instructions per build against the ~80 M it saves).
"""

from __future__ import annotations

import dataclasses
import inspect
import operator
from collections.abc import Callable
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")


@overload
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(*, order: bool = False, frozen: bool = True) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[_T] | None = None, /, *, order: bool = False, frozen: bool = True) -> Any:
    """`@dataclass(frozen=True)` (with `order`: `order=True`; with `frozen=False`: a mutable dataclass), with shared
    `__repr__`, `__eq__` and `__hash__` (and ordering methods): see the module's docstring."""
    if cls is None:
        return lambda c: _record(c, order, frozen)
    return _record(cls, order, frozen)


def _record(cls: type[_T], order: bool, frozen: bool) -> type[_T]:
    if cls.__doc__ is None:
        # what dataclass would write, without its inspect.signature: for a record whose __init__ comes later that
        # parses object's signature text with tokenize (2 ms of a one-shot build) and says `Name()`, which is wrong
        cls.__doc__ = f"{cls.__name__}({', '.join(inspect.get_annotations(cls))})"
    cls = dataclasses.dataclass(frozen=frozen, repr=False, eq=False, init=not frozen or "__init__" in cls.__dict__)(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if frozen and "__init__" not in cls.__dict__:
        _add(cls, _init(cls))
    own = cls.__dict__
    if "__repr__" not in own:
        _add(cls, _repr([f.name for f in fields if f.repr]))
    compared = _key([f.name for f in fields if f.compare])
    if "__eq__" not in own:
        _add(cls, _eq(compared))
    # dataclass(frozen=True, eq=True) sets __hash__ unless the class body defined one (an __eq__ in the body makes
    # Python set __hash__ to None, which does not count as defined)
    if "__hash__" not in own or (own["__hash__"] is None and "__eq__" in own):
        if frozen:
            _add(cls, _hash(_key([f.name for f in fields if (f.compare if f.hash is None else f.hash)])))
        else:  # a mutable dataclass that compares by value cannot be hashed
            cls.__hash__ = None  # type: ignore[assignment]
    for name, op in _ORDER if order else ():
        if name in own:
            raise TypeError(
                f"Cannot overwrite attribute {name} in class {cls.__name__}. Consider using functools.total_ordering"
            )
        _add(cls, _compare(name, op, compared))
    return cls


def _init(cls: type) -> Callable[..., None]:
    """The frozen dataclass's `__init__` (same parameters, defaults, factories and `__post_init__` call), with
    `object.__setattr__` held by the function rather than looked up per field, and a field given its default left
    unset: the class holds the default (`dataclass` puts it there), so the instance reads the same object, as an
    instance loaded from the parse memo does (parse/memo.py). Each `object.__setattr__` costs ~1,000 instructions."""
    fields = list(cls.__dataclass_fields__.values())  # type: ignore[attr-defined]
    names: dict[str, Any] = {"__set": object.__setattr__, "__factory": dataclasses._HAS_DEFAULT_FACTORY}  # type: ignore[attr-defined]
    params: list[str] = []
    kw_only: list[str] = []
    lines: list[str] = []
    for n, f in enumerate(fields):
        if f._field_type is not dataclasses._FIELD:  # type: ignore[attr-defined]
            raise TypeError(f"{cls.__qualname__}.{f.name}: a record's fields are plain fields (no InitVar)")
        name, param = f.name, f.name
        if f.default_factory is not dataclasses.MISSING:
            names[f"__f{n}"] = f.default_factory
            value = f"__f{n}() if {name} is __factory else {name}" if f.init else f"__f{n}()"
            param = f"{name}=__factory"
            lines.append(f"__set(self, {name!r}, {value})")
        elif f.default is not dataclasses.MISSING:
            names[f"__d{n}"] = f.default
            param = f"{name}=__d{n}"
            held = cls.__dict__.get(name, dataclasses.MISSING) is f.default
            if f.init:
                setting = f"__set(self, {name!r}, {name})"
                lines.append(f"if {name} is not __d{n}: {setting}" if held else setting)
            elif not held:
                lines.append(f"__set(self, {name!r}, __d{n})")
        elif f.init:
            lines.append(f"__set(self, {name!r}, {name})")
        if f.init:
            (kw_only if f.kw_only else params).append(param)
    if kw_only:
        params += ["*", *kw_only]
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    body = "\n        ".join(lines or ["pass"])
    text = (
        f"def __make__({', '.join(names)}):\n"
        f"    def __init__(self, {', '.join(params)}):\n        {body}\n"
        "    return __init__\n"
    )
    scope: dict[str, Any] = {}
    exec(text, {}, scope)  # the text is made above from the class's field names, as dataclass makes its own
    init: Callable[..., None] = scope["__make__"](*names.values())
    init.__annotations__.update({f.name: f.type for f in fields if f.init}, **{"return": None})
    return init


_ORDER = (("__lt__", operator.lt), ("__le__", operator.le), ("__gt__", operator.gt), ("__ge__", operator.ge))


def _add(cls: type, method: Callable[..., Any]) -> None:
    method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
    setattr(cls, method.__name__, method)


def _key(names: list[str]) -> Callable[[object], tuple[Any, ...]]:
    """The tuple of the named attributes, as `(self.a, self.b,)` makes it."""
    if not names:
        return lambda _: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)


def _repr(names: list[str]) -> Callable[[object], str]:
    @recursive_repr()
    def __repr__(self: object) -> str:
        return self.__class__.__qualname__ + "(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in names) + ")"

    return __repr__


def _eq(key: Callable[[object], tuple[Any, ...]]) -> Callable[[object, object], Any]:
    def __eq__(self: object, other: object) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _compare(
    name: str, op: Callable[[Any, Any], Any], key: Callable[[object], tuple[Any, ...]]
) -> Callable[[object, object], Any]:
    def method(self: object, other: object) -> Any:
        if other.__class__ is self.__class__:
            return op(key(self), key(other))
        return NotImplemented

    method.__name__ = name
    return method


def _hash(key: Callable[[object], tuple[Any, ...]]) -> Callable[[object], int]:
    def __hash__(self: object) -> int:
        return hash(key(self))

    return __hash__
