"""`obsgen import PATH...`: existing rule files, dashboards, runbooks and Alloy configs into a
new obsgen project (obsgen.toml and a definitions/ package) that builds back to them."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import click

from obsgen.check.exposition import parse_exposition
from obsgen.check.lint import expand, load_catalog, read_files
from obsgen.check.reading import DEFAULT_MAX_FILE_SIZE
from obsgen.cli_output import Output, finish, guard, output_options
from obsgen.diagnostics import Diagnostic, Location, UsageError, has_errors
from obsgen.importers.catalog import ImportedCatalog, given
from obsgen.importers.output import config_text, existing_definitions, write_project
from obsgen.importers.pysource import FormatError
from obsgen.importers.run import CatalogSource, Input, import_files, inferred_catalog
from obsgen.importers.slo_specs import split_specs
from obsgen.report import display_path

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
URL_TIMEOUT = 20.0


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=URL_TIMEOUT) as response:
            data: bytes = response.read(DEFAULT_MAX_FILE_SIZE + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UsageError(Diagnostic.of("OBS980", f"cannot read the catalog at {url}: {exc}",
                                       Location(url), "check the URL, or save the scrape to a "
                                       "file: curl -s URL > metrics.txt")) from None
    return data.decode("utf-8", errors="replace")


def catalog_source(option: str | None) -> CatalogSource:
    """How the run gets its catalog: from --catalog (scrape file, URL or obsgen project) or,
    without it, inferred from the inputs' queries."""

    def choose(inputs: list[Input]) -> tuple[ImportedCatalog, str]:
        if option is None:
            return inferred_catalog(inputs), "inferred from the imported queries"
        if option.startswith(("http://", "https://")):
            scraped = parse_exposition(_fetch(option), option)
            return (given(scraped.catalog.metrics, scraped.diagnostics),
                    f"from the scrape of {option}")
        loaded, problems = load_catalog(Path(option))
        if loaded is None or has_errors(problems):
            raise UsageError(problems[0] if problems else Diagnostic.of(
                "OBS980", f"no catalog in {option}", Location(option),
                "give a scrape saved to a file, a URL, or an obsgen project folder"))
        return given(loaded.metrics, problems), f"from {option}"

    return choose


@click.command("import", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              default=Path(), show_default=True,
              help="The project folder to write: obsgen.toml and definitions/ go in it.")
@click.option("--catalog", metavar="FILE|URL|DIR",
              help="The metric catalog: a Prometheus scrape saved to a file, a /metrics URL, "
                   "or an obsgen project folder. Without it, the catalog is inferred from the "
                   "queries, each entry with a `# review:` note.")
@click.option("--force", is_flag=True,
              help="Replace the obsgen.toml and definitions/ already in the output folder.")
@output_options
def import_command(paths: tuple[Path, ...], output: Path, catalog: str | None, force: bool,
                   fmt: str, color: str, select: tuple[str, ...],
                   ignore: tuple[str, ...]) -> None:
    """Import an existing setup into a new obsgen project: Prometheus rule files (plain or
    PrometheusRule manifests), Grafana dashboard JSON, Markdown runbooks and Alloy configs
    become Python definitions (one module per file, the catalog in metrics.py) that
    `obsgen build` turns back into the same artifacts.

    PATHS are found as `obsgen lint` finds them (files and folders, searched recursively).

    \b
    Example:
      curl -s http://my-app:9464/metrics > metrics.txt
      obsgen import rules/ dashboards/ --catalog metrics.txt -o platform
      cd platform && obsgen build     the defects the old files carried, at their lines

    \b
    An input that cannot be imported (it does not parse, obsgen does not import its kind,
    its rule group or dashboard uid is already taken by another input) is a finding; the
    rest is still imported. The output is staged and formatted first, then put in place
    whole. Exit status: 0 imported, 1 some input had an error (the rest was imported),
    2 usage problem (a path that does not exist, a catalog that cannot be read).
    """

    def run(out: Output) -> None:
        candidates, problems = expand(paths)
        refused = None if force else existing_definitions(output)
        if refused is not None:
            finish(out, [refused])
        specs, candidates = split_specs(candidates)
        files, unreadable = read_files(candidates)
        files += specs
        result = import_files(files, catalog_source(catalog))
        config = config_text(output, result.severities, result.runbook_base_url)
        try:
            write_project(output, result.modules, config)
        except (OSError, FormatError) as exc:
            raise UsageError(Diagnostic.of("OBS980", f"cannot write {output}: {exc}",
                                           Location(str(output)), "check the folder's "
                                           "permissions and free space")) from None
        out.status(f"Imported {len(result.imported)} of {len(files)} files into "
                   f"{display_path(str(output))}/ ({len(result.modules)} modules). "
                   "Next: obsgen build there.")
        finish(out, [*problems, *unreadable, *result.diagnostics])

    guard(run, fmt, color, select, ignore)
