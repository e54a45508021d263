"""Compiled definitions kept between runs, outside the user's folders.

Loading a large project's definitions was mostly Python compiling them again on every run:
obsgen never writes `__pycache__` into the definitions folder. Here the definitions package's
modules (and only they) are loaded through a loader that keeps each file's bytecode under
`.obsgen-cache/bytecode/`, with the hash of the source it was compiled from in its header (as
Python's own checked-hash .pyc files have it). A kept file is used only when that hash is the
hash of the source being imported, so it is never used for another source, whatever the clocks
or file sizes say.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import marshal
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, ModuleType

from obsgen.atomicfile import write_atomically

_HEADER = 4 + 32  # the interpreter's magic number, then the source's sha256


class _KeptLoader(importlib.machinery.SourceFileLoader):
    def __init__(self, fullname: str, path: str, folder: Path) -> None:
        super().__init__(fullname, path)
        self.folder = folder

    def get_code(self, fullname: str) -> CodeType:
        source = self.get_data(self.path)
        digest = importlib.util.MAGIC_NUMBER + hashlib.sha256(source).digest()
        kept = self.folder / f"{hashlib.sha256(self.path.encode()).hexdigest()}.pyc"
        try:
            data = kept.read_bytes()
            if data[:_HEADER] == digest:
                code = marshal.loads(data[_HEADER:])
                if isinstance(code, CodeType):
                    return code
        except (OSError, ValueError, EOFError, TypeError):
            pass  # not kept yet, or damaged: compiled below
        code = self.source_to_code(source, self.path)
        _write(kept, digest + marshal.dumps(code))
        return code


def _write(path: Path, data: bytes) -> None:
    """Write atomically; a folder that cannot be written only means compiling next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
    except OSError:
        return


class _Finder:
    """Finds the definitions package's modules as Python would, with `_KeptLoader`."""

    def __init__(self, package: str, folder: Path) -> None:
        self.package = package
        self.folder = folder

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(self.package + "."):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        origin = str(spec.origin)
        spec.loader = _KeptLoader(fullname, origin, self.folder)
        return spec


@contextmanager
def kept_in(folder: Path | None, package: str) -> Iterator[None]:
    """Within the block, modules of `package` keep their bytecode in `folder` (None: compile
    as usual)."""
    if folder is None:
        yield
        return
    finder = _Finder(package, folder)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def discard(folder: Path | None) -> None:
    """Remove the kept bytecode (after a failed build: it holds the definitions' literals)."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
