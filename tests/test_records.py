"""`@record` classes behave as `@dataclass(frozen=True)` would: repr, equality, hash and frozenness.

Every record class of the package is checked against the methods `dataclasses` itself generates for the same
fields (a twin class made with `make_dataclass`, whose methods are called on the record's instances)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from typing import Any

import pytest

import rust_goals_slate
from rust_goals_slate.errors import Diagnostic, Severity
from rust_goals_slate.model import Goal, TeamRegistry
from rust_goals_slate.records import record


def _record_classes() -> list[type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(rust_goals_slate.__path__, "rust_goals_slate."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            params = getattr(value, "__dataclass_params__", None)
            if isinstance(value, type) and params is not None and not params.eq:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[k] for k in sorted(found)]


RECORDS = _record_classes()
FROZEN = [c for c in RECORDS if c.__dataclass_params__.frozen]  # type: ignore[attr-defined]


def _twin(cls: type) -> Any:
    """A dataclass with the same fields, whose methods are the ones `dataclasses` generates."""
    fields = [
        (f.name, Any, dataclasses.field(repr=f.repr, hash=f.hash, compare=f.compare)) for f in dataclasses.fields(cls)
    ]
    frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=frozen, order="__lt__" in vars(cls))


def _make(cls: type, values: dict[str, Any]) -> Any:
    obj: Any = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


def _values(cls: type, salt: str = "") -> dict[str, Any]:
    samples: list[Any] = ["text", 7, ("a", 1), None, True, frozenset({"x"})]
    return {
        f.name: samples[n % len(samples)] if not salt else f"{salt}{n}" for n, f in enumerate(dataclasses.fields(cls))
    }


def test_the_model_is_made_of_records() -> None:
    assert {Goal, Diagnostic, TeamRegistry} <= set(FROZEN)
    assert len(FROZEN) > 50 and len(RECORDS) > len(FROZEN)


def test_a_mutable_record_is_a_mutable_dataclass() -> None:
    @record(frozen=False)
    class Collector:
        items: list[str] = dataclasses.field(default_factory=list)

    c = Collector()
    c.items.append("a")
    c.items = ["b"]
    assert c == Collector(["b"]) and c != Collector() and repr(c).endswith("Collector(items=['b'])")
    assert Collector.__hash__ is None


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_record_methods_are_dataclass_methods(cls: type) -> None:
    twin = _twin(cls)
    values = _values(cls)
    a, same = _make(cls, values), _make(cls, dict(values))
    assert repr(a) == twin.__repr__(a)
    assert (a == same) is twin.__eq__(a, same) is True
    if twin.__hash__ is None:  # a mutable record (`frozen=False`) is unhashable, as a mutable dataclass is
        assert cls.__hash__ is None
    else:
        assert hash(a) == twin.__hash__(a) == hash(same)
    for name in values:  # each field changed in turn: compared (and hashed) as dataclasses would, or not at all
        other = _make(cls, {**values, name: "changed"})
        assert (a == other) == twin.__eq__(a, other)
        assert (a != other) == (not twin.__eq__(a, other))
        assert twin.__hash__ is None or hash(other) == twin.__hash__(other)
        assert repr(other) == twin.__repr__(other)
    if "__lt__" in vars(cls):  # @record(order=True): the four comparisons, as dataclass(order=True) makes them
        for name in values:
            other = _make(cls, {**values, name: "changed" if isinstance(values[name], str) else values[name]})
            for op in ("__lt__", "__le__", "__gt__", "__ge__"):
                assert getattr(a, op)(other) == getattr(twin, op)(a, other)
        assert a.__lt__(object()) is NotImplemented is twin.__lt__(a, object())
    stranger = _make(cls, _values(cls, "s"))
    assert a.__eq__(object()) is NotImplemented is twin.__eq__(a, object())
    assert (a == stranger) == twin.__eq__(a, stranger)
    assert cls.__repr__.__qualname__ == f"{cls.__qualname__}.__repr__"


def _init_twin(cls: type) -> Any:
    """A frozen dataclass with the same fields, defaults, factories and `__post_init__`, made by `dataclasses`."""
    fields = [
        (
            f.name,
            Any,
            dataclasses.field(default=f.default, default_factory=f.default_factory, init=f.init, kw_only=f.kw_only),
        )
        for f in dataclasses.fields(cls)
    ]
    post = {"__post_init__": vars(cls)["__post_init__"]} if "__post_init__" in vars(cls) else {}
    return dataclasses.make_dataclass(cls.__name__, fields, frozen=True, namespace=post)


def _outcome(make: Any, *args: Any, **kwargs: Any) -> Any:
    """The values of the fields of what `make` returns, or the type of the exception it raises."""
    try:
        made = make(*args, **kwargs)
    except Exception as refused:  # a __post_init__ check: the twin must refuse the same way
        return type(refused)
    return [getattr(made, f.name) for f in dataclasses.fields(made)]


@pytest.mark.parametrize("cls", FROZEN, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_record_init_is_dataclass_init(cls: type) -> None:
    """Same parameters and defaults; the same field values read back (a default is read from the class), the same
    exception when `__post_init__` refuses the values; a changed copy (`dataclasses.replace`) as the twin's."""
    twin = _init_twin(cls)
    params = list(inspect.signature(cls).parameters.values())
    assert [(p.name, p.kind, p.default) for p in params] == [
        (p.name, p.kind, p.default) for p in inspect.signature(twin).parameters.values()
    ]
    samples: list[Any] = ["text", 7, ("a", 1), True, frozenset({"x"}), None]
    required = {p.name: samples[n % len(samples)] for n, p in enumerate(params) if p.default is p.empty}
    given = {p.name: samples[n % len(samples)] for n, p in enumerate(params)}
    defaults = {**required, **{p.name: p.default for p in params if p.default is not p.empty}}
    for values in (required, given, defaults):
        assert _outcome(cls, **values) == _outcome(twin, **values)
        if isinstance(_outcome(cls, **values), list):
            record_made, twin_made = cls(**values), twin(**values)
            for name, value in given.items():
                changed = {name: value}
                assert _outcome(dataclasses.replace, record_made, **changed) == _outcome(
                    dataclasses.replace, twin_made, **changed
                )
    if required:
        with pytest.raises(TypeError, match="missing"):
            cls()
        with pytest.raises(TypeError, match="missing"):
            twin()


@pytest.mark.parametrize("cls", FROZEN, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_records_stay_frozen(cls: type) -> None:
    a = _make(cls, _values(cls))
    for f in dataclasses.fields(cls):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(a, f.name, 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(a, f.name)
    with pytest.raises(dataclasses.FrozenInstanceError):
        name = "not_a_field"
        setattr(a, name, 1)


def test_record_details_as_dataclasses() -> None:
    @record
    class Node:
        name: str
        child: Any = None
        note: str = dataclasses.field(default="", repr=False, compare=False)

    @dataclasses.dataclass(frozen=True)
    class Plain:
        name: str
        child: Any = None
        note: str = dataclasses.field(default="", repr=False, compare=False)

    loop = Node("a")
    object.__setattr__(loop, "child", loop)
    plain = Plain("a")
    object.__setattr__(plain, "child", plain)
    assert (
        repr(loop)
        == repr(plain).replace("Plain", "Node")
        == "test_record_details_as_dataclasses.<locals>.Node(name='a', child=...)"
    )
    assert Node("a", note="x") == Node("a", note="y") and hash(Node("a", note="x")) == hash(Node("a", note="y"))
    assert Node("a") != Plain("a")  # type: ignore[comparison-overlap]
    assert Node("a", [1]) == Node("a", [1])
    with pytest.raises(TypeError, match="unhashable"):
        hash(Node("a", [1]))
    d = Diagnostic(rust_goals_slate.errors.Location("x.md", 1), Severity.ERROR, "c", "m")
    assert dataclasses.replace(d, code="c") == d and dataclasses.replace(d, code="e") != d
    assert len({d, dataclasses.replace(d)}) == 1


@pytest.mark.parametrize("make", [record, dataclasses.dataclass(frozen=True)], ids=["record", "dataclass"])
def test_a_class_of_its_own_keeps_its_methods(make: Any) -> None:
    class Own:
        x: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return True

    class EqOnly:
        x: int

        def __eq__(self, other: object) -> bool:
            return other is not None

    class HashOnly:
        x: int

        def __hash__(self) -> int:
            return 5

    own, eq_only, hash_only = make(Own), make(EqOnly), make(HashOnly)
    assert repr(own(1)) == "own" and own(1) == own(2)
    assert hash(own(1)) == hash((1,))  # an __eq__ in the body: dataclass still adds __hash__ over the fields
    assert eq_only(1) == eq_only(2) and hash(eq_only(1)) == hash((1,))
    assert hash(hash_only(1)) == 5 and hash_only(1) == hash_only(1) and hash_only(1) != hash_only(2)


def test_ordered_records_compare_as_dataclasses() -> None:
    @record(order=True)
    class Place:
        path: str
        line: int = 0
        note: str = dataclasses.field(default="", compare=False)

    @dataclasses.dataclass(frozen=True, order=True)
    class Plain:
        path: str
        line: int = 0
        note: str = dataclasses.field(default="", compare=False)

    places = [("b", 2, "x"), ("a", 9, "y"), ("b", 1, "z"), ("a", 9, "w")]
    assert [(p.path, p.line) for p in sorted(Place(*v) for v in places)] == [
        (p.path, p.line) for p in sorted(Plain(*v) for v in places)
    ]
    assert Place("a", 1) <= Place("a", 1, "other") and not Place("a", 1) < Place("a", 1)
    with pytest.raises(TypeError):
        assert Place("a") < Plain("a")  # type: ignore[operator]
    with pytest.raises(TypeError, match="Cannot overwrite attribute __lt__"):

        @record(order=True)
        class Own:
            x: int

            def __lt__(self, other: object) -> bool:  # type: ignore[misc]
                return True
