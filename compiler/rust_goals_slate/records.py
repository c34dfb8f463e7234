"""`@record`: a frozen dataclass whose `__repr__`, `__eq__` and `__hash__` are closures over its fields.

`dataclass` writes each method it adds as Python source and compiles it with `exec`, per class: for the ~60 frozen
classes a build imports, that was ~90 M instructions of a ~2,100 M build (docs/performance.md, issue 26). `record`
lets `dataclass` make the fields, `__init__` and the frozen `__setattr__`/`__delattr__` as before, and gives the
class the three methods (with `order=True`, the four comparisons too) as closures over the names of its fields: the
same results as the code `dataclass` would have generated (Python 3.11's `_repr_fn`, `_cmp_fn` and `_hash_fn`: the
same text, the same tuple comparisons, the same hash), made without compiling anything. `tests/test_records.py`
checks every record class of the package against `dataclass`'s own methods.

The frozen methods stay generated: a shared `__setattr__` would be called for every field that `__init__` sets
(measured: +150 M instructions per build against the ~80 M it saves).
"""

from __future__ import annotations

import dataclasses
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
    cls = dataclasses.dataclass(frozen=frozen, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
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
