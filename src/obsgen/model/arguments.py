"""Argument types of obsgen's public constructors, checked against their own annotations.

Every model class calls `check_arguments(self)` first in `__post_init__`, so that a value of the
wrong type (`severity=2`, `help=20`, `category=["availability"]`) is an OBS004 at the user's
line naming the argument and the type it wants, instead of a traceback far from the definition
or an artifact that another tool rejects. The annotations are the single source: what a field
is annotated with is what it accepts. Where a constructor accepts more than it stores (a single
string for a list of tags, a dict for a `Firing`), the field says so with
`Annotated[<stored>, Accepts(<given>)]`.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Union

from obsgen.diagnostics import DefinitionError, Location


@dataclass(frozen=True)
class Accepts:
    """`Annotated[<stored type>, Accepts(<what the constructor accepts>)]`: the check uses the
    accepted type, mypy the stored one."""

    given: object


@dataclass(frozen=True)
class Spec:
    """What one annotation accepts: `fits` is the fast test, `culprit` explains a failure."""

    expected: str  # "text", "a Folder", "a list of strings"
    plural: str  # as an item of a list: "strings", "Folders"
    example: str  # a value that fits, for the hint

    def fits(self, value: object) -> bool:
        raise NotImplementedError

    def culprit(self, value: object, path: str) -> tuple[str, str, object]:
        """The innermost part of `value` that does not fit: its path, what it should be, it."""
        return path, self.expected, value


@dataclass(frozen=True)
class _Anything(Spec):
    def fits(self, value: object) -> bool:
        return True


@dataclass(frozen=True)
class _Instance(Spec):
    kinds: tuple[type, ...]
    exclude: tuple[type, ...] = ()  # bool is an int to Python, never to a definition

    def fits(self, value: object) -> bool:
        return isinstance(value, self.kinds) and not isinstance(value, self.exclude)


@dataclass(frozen=True)
class _Literal(Spec):
    values: tuple[object, ...]

    def fits(self, value: object) -> bool:
        return any(type(value) is type(v) and value == v for v in self.values)


@dataclass(frozen=True)
class _Union(Spec):
    options: tuple[Spec, ...]

    def fits(self, value: object) -> bool:
        return any(option.fits(value) for option in self.options)

    def culprit(self, value: object, path: str) -> tuple[str, str, object]:
        # A list given where a list is one of the options: name the item that is wrong.
        if isinstance(value, list | tuple | Mapping):
            for option in self.options:
                if isinstance(option, _Items | _Fixed | _MapOf) and option.holds(value):
                    return option.culprit(value, path)
        return path, self.expected, value


@dataclass(frozen=True)
class _Items(Spec):
    item: Spec

    def holds(self, value: object) -> bool:
        return isinstance(value, list | tuple)

    def fits(self, value: object) -> bool:
        return isinstance(value, list | tuple) and all(self.item.fits(v) for v in value)

    def culprit(self, value: object, path: str) -> tuple[str, str, object]:
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                if not self.item.fits(item):
                    return self.item.culprit(item, f"{path}[{index}]")
        return path, self.expected, value


@dataclass(frozen=True)
class _Fixed(Spec):
    items: tuple[Spec, ...]

    def holds(self, value: object) -> bool:
        return isinstance(value, list | tuple) and len(value) == len(self.items)

    def fits(self, value: object) -> bool:
        return isinstance(value, list | tuple) and len(value) == len(self.items) and all(
            spec.fits(v) for spec, v in zip(self.items, value, strict=True))

    def culprit(self, value: object, path: str) -> tuple[str, str, object]:
        if isinstance(value, list | tuple) and self.holds(value):
            for index, (spec, item) in enumerate(zip(self.items, value, strict=True)):
                if not spec.fits(item):
                    return spec.culprit(item, f"{path}[{index}]")
        return path, self.expected, value


@dataclass(frozen=True)
class _MapOf(Spec):
    key: Spec
    value: Spec

    def holds(self, value: object) -> bool:
        return isinstance(value, Mapping)

    def fits(self, value: object) -> bool:
        return isinstance(value, Mapping) and all(
            self.key.fits(k) and self.value.fits(v) for k, v in value.items())

    def culprit(self, value: object, path: str) -> tuple[str, str, object]:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if not self.key.fits(key):
                    return self.key.culprit(key, f"{path} key {key!r:.40}")
                if not self.value.fits(item):
                    return self.value.culprit(item, f"{path}[{key!r:.40}]")
        return path, self.expected, value


# Building a Spec from an annotation --------------------------------------------------------

_ANYTHING = _Anything("anything", "values", "...")
_PLAIN: dict[type, Spec] = {
    str: _Instance("text (a str)", "strings", '"..."', (str,)),
    bool: _Instance("True or False", "booleans", "True", (bool,)),
    int: _Instance("a whole number (int)", "whole numbers", "1", (int,), (bool,)),
    float: _Instance("a number", "numbers", "0.5", (int, float), (bool,)),
    type(None): _Instance("None", "Nones", "None", (type(None),)),
}
_SEQUENCES = (tuple, list, collections.abc.Sequence)
_SETS = (frozenset, set, collections.abc.Set)


def _article(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _join(words: Iterable[str]) -> str:
    items = list(dict.fromkeys(words))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# Classes whose name is not what a user wrote, by module and name: (one, several, example).
_SHOWN = {
    "obsgen.model.promql._Ops": ("a query expression", "query expressions", "rate(METRIC)"),
    "obsgen.model.promql.Selector": ("a selector", "selectors", 'METRIC.where(label="value")'),
    "obsgen.model.metrics.Metric": ("a catalog metric", "catalog metrics", "METRIC"),
}


def _plural(name: str) -> str:
    if name.endswith(("ss", "ch", "sh", "x")):
        return name + "es"
    return name if name.endswith("s") else name + "s"


def _class_spec(kind: type) -> Spec:
    if getattr(kind, "_is_protocol", False) and not getattr(kind, "_is_runtime_protocol", False):
        return _ANYTHING  # a structural type isinstance cannot test
    shown = _SHOWN.get(f"{kind.__module__}.{kind.__qualname__}")
    if shown is not None:
        return _Instance(*shown, (kind,))
    name = kind.__name__
    return _Instance(_article(name), _plural(name), f"{name}(...)", (kind,))


def _union_spec(options: tuple[Spec, ...]) -> Spec:
    if any(isinstance(o, _Anything) for o in options):
        return _ANYTHING
    if _PLAIN[float] in options:  # "a whole number or a number" says less than "a number"
        options = tuple(o for o in options if o is not _PLAIN[int])
    real = [o for o in options if o is not _PLAIN[type(None)]]
    expected = _join(o.expected for o in real)
    if len(real) < len(options):
        expected = f"{expected}, or None"
    plural, example = _join(o.plural for o in options), real[0].example
    merged = _merged(options)
    if merged is not None:  # one isinstance() instead of one per option
        return _Instance(expected, plural, example, *merged)
    return _Union(expected, plural, example, options)


def _merged(options: tuple[Spec, ...]) -> tuple[tuple[type, ...], tuple[type, ...]] | None:
    """The kinds and exclusions of a union of plain instance checks, where one test says the
    same as the union (not for `bool | int`: one option excludes what another accepts)."""
    if not all(isinstance(o, _Instance) for o in options):
        return None
    plain = [o for o in options if isinstance(o, _Instance)]
    exclude = tuple({e for o in plain for e in o.exclude})
    if any(issubclass(e, o.kinds) and not issubclass(e, o.exclude) for e in exclude
           for o in plain):
        return None
    return tuple(k for o in plain for k in o.kinds), exclude


def spec_of(hint: object) -> Spec:
    """The Spec of a resolved annotation."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any or isinstance(hint, typing.TypeVar):
        return _ANYTHING
    if origin is typing.Annotated:
        given = next((a.given for a in args[1:] if isinstance(a, Accepts)), args[0])
        return spec_of(given)
    if isinstance(hint, type) and origin is None:
        return _PLAIN.get(hint) or _class_spec(hint)
    if origin is Literal:
        shown = ", ".join(repr(a) for a in args)
        return _Literal(f"one of {shown}", f"values among {shown}", repr(args[0]), args)
    if origin in (Union, types.UnionType):
        return _union_spec(tuple(spec_of(a) for a in args))
    if origin in _SEQUENCES and (args[1:] == (Ellipsis,) or (len(args) == 1
                                                                and origin is not tuple)):
        item = spec_of(args[0])
        if isinstance(item, _Anything):
            return _Items("a list", "lists", "[...]", item)
        return list_of(item)
    if origin is tuple and args:
        items = tuple(spec_of(a) for a in args)
        shown = f"({', '.join(i.example for i in items)})"
        return _Fixed(f"a pair {shown}" if len(items) == 2 else f"a tuple {shown}",
                      "pairs" if len(items) == 2 else "tuples", shown, items)
    if origin in (dict, collections.abc.Mapping) and len(args) == 2:
        key, value = spec_of(args[0]), spec_of(args[1])
        return _MapOf(f"a dict of {key.plural} to {value.plural}", "dicts",
                      f'{{{key.example}: {value.example}}}', key, value)
    if origin in _SETS and args:
        item = spec_of(args[0])
        return _Instance(f"a set of {item.plural}", "sets", "{...}", (set, frozenset))
    if isinstance(origin, type):
        return _class_spec(origin)
    return _ANYTHING


# The check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Argument:
    name: str
    spec: Spec
    example: str


def _names_for_annotations() -> dict[str, object]:
    """Names some model modules import only for type checking, to resolve their annotations."""
    from obsgen.model.metrics import Metric
    from obsgen.model.pipeline import ScrapeJob
    from obsgen.model.rules import RecordingRule

    return {"Metric": Metric, "ScrapeJob": ScrapeJob, "RecordingRule": RecordingRule}


def _example(spec: Spec, default: object) -> str:
    if isinstance(default, str | int | float) and default and spec.fits(default):
        return repr(default)
    return spec.example


@cache
def arguments_of(cls: type) -> tuple[_Argument, ...]:
    """The checked arguments of a dataclass, from its annotations (resolved once per class)."""
    hints = typing.get_type_hints(cls, localns=_names_for_annotations(), include_extras=True)
    found = []
    for item in dataclasses.fields(cls):
        spec = spec_of(hints[item.name])
        # `source` is obsgen's own: the caller's line, filled in by default.
        if item.init and item.name != "source" and not isinstance(spec, _Anything):
            found.append(_Argument(item.name, spec, _example(spec, item.default)))
    return tuple(found)


def _shown(value: object) -> str:
    if isinstance(value, str) and len(value) > 40:
        return repr(value[:37]) + "..."
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def check_arguments(obj: object, specific: Iterable[str] = ()) -> None:
    """Raise OBS004 for the first argument of `obj` whose value does not fit its annotation;
    `specific` names arguments whose own, more specific check runs next (e.g. credentials,
    whose value must never be echoed)."""
    cls: type = type(obj)
    for argument in arguments_of(cls):
        value = getattr(obj, argument.name)
        if not argument.spec.fits(value) and argument.name not in specific:
            raise wrong_type(f"{cls.__name__}({argument.name}=...)", argument.name,
                             argument.spec, value, owner=cls.__name__,
                             example=argument.example)


def wrong_type(call: str, path: str, spec: Spec, value: object, *, owner: str,
               example: str = "", location: Location | None = None) -> DefinitionError:
    """OBS004 for the argument at `path` of `call` (`Dashboard(title=...)`) whose `value`
    does not fit `spec`, naming the innermost part that is wrong (`labels[2]`); the hint
    shows `owner(..., <last name in path>=<example>)`."""
    at, expected, bad = spec.culprit(value, path)
    name = path.rsplit(".", 1)[-1]
    got = "None" if bad is None else f"{type(bad).__name__} {_shown(bad)}"
    return DefinitionError("OBS004", f"{call}: {at} must be {expected}, got {got}",
                           hint=_hint(owner, name, spec, bad, example or spec.example),
                           location=location)


def _hint(owner: str, name: str, spec: Spec, bad: object, example: str) -> str:
    if isinstance(bad, str) and isinstance(spec, _Items | _Union) and spec.fits([bad]):
        return f"a list, even of one: {owner}(..., {name}=[{_shown(bad)}])"
    if isinstance(bad, list | tuple) and len(bad) == 1 and spec.fits(bad[0]):
        return f"one value, not a list: {owner}(..., {name}={_shown(bad[0])})"
    return f"e.g. {owner}(..., {name}={example})"


# Specs built directly, for checks that do not start from an annotation ----------------------


def list_of(item: Spec) -> Spec:
    return _Items(f"a list of {item.plural}", f"lists of {item.plural}", f"[{item.example}]",
                  item)


# grafanalib's float options refuse an int.
EXACT_FLOAT: Spec = _Instance("a float (1.0, not 1)", "floats", "1.0", (float,))


def optional(spec: Spec) -> Spec:
    return _union_spec((spec, _PLAIN[type(None)]))


def one_of(values: Iterable[object]) -> Spec:
    return spec_of(Literal[tuple(values)])
