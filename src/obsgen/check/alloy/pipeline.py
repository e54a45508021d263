"""Checks on the pipeline model before it is emitted: every `forward_to` target is part of the
pipeline, labels are unique per Alloy component, and every scrape is of a catalog job."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from obsgen.check.catalog import at, duplicates
from obsgen.diagnostics import Diagnostic
from obsgen.emit.alloy import alloy_name, component_id
from obsgen.model.pipeline import (
    OtlpExporter,
    Pipeline,
    PipelineComponent,
    Scrape,
    forwards,
)
from obsgen.model.pipeline_values import GO_DURATION
from obsgen.model.project import Project


def check_pipelines(project: Project) -> list[Diagnostic]:
    found = list(duplicates(((p.path, p) for p in project.pipelines), "OBS843", "pipeline file",
                            'give each Pipeline its own name= (the file is alloy/<name>.alloy)'))
    for pipeline in project.pipelines:
        found += _forwarding(pipeline)
        found += duplicates(_ids(pipeline), "OBS843", "Alloy component",
                            "give each component of one kind its own label")
        found += _scrapes(pipeline, project)
    return [*found, *_unscraped(project)]


def _unscraped(project: Project) -> Iterator[Diagnostic]:
    """With a pipeline declared, a catalog job that nothing scrapes has no series at all: its
    `up{job=...}` alerts see absence, its dashboards stay empty."""
    if not project.pipelines:
        return
    scraped = {c.job_name for p in project.pipelines for c in p.components
               if isinstance(c, Scrape)}
    for job in project.jobs:
        if job.name not in scraped:
            yield Diagnostic.of("OBS847", f"scrape job {job.name!r} is in the catalog but no "
                                "pipeline scrapes it", job.source,
                                "add Scrape(<this job>, forward_to=...) to a Pipeline's "
                                "components")


def _ids(pipeline: Pipeline) -> Iterator[tuple[str, PipelineComponent]]:
    for c in pipeline.components:
        if isinstance(c, OtlpExporter):  # its otelcol.auth.basic shares its label
            yield f"otelcol.auth.basic.{c.label}", c
        yield component_id(c), c


def _forwarding(pipeline: Pipeline) -> Iterator[Diagnostic]:
    members = {id(c) for c in pipeline.components}
    for c in pipeline.components:
        for target in forwards(c):
            if id(target) not in members:
                yield Diagnostic.of(
                    "OBS842", f"{component_id(c)} forwards to {component_id(target)} "
                              f"(defined at {at(target)}), which is not in pipeline "
                              f"{pipeline.name!r}", c.source,
                    f"add it to the Pipeline's components (at {at(pipeline)}), or forward to "
                    "one that is")


def _scrapes(pipeline: Pipeline, project: Project) -> Iterator[Diagnostic]:
    jobs = {job.name: job for job in project.jobs}
    for c in pipeline.components:
        if not isinstance(c, Scrape):
            continue
        job = jobs.get(c.job_name)
        if job is None or (not isinstance(c.job, str) and c.job is not job):
            yield Diagnostic.of("OBS844", _not_catalog(c, sorted(jobs)), c.source,
                                "scrape the catalog's ScrapeJob object, so that the job label "
                                "matches what up{job=...} in the alerts selects")
            continue
        for what, value in (("interval", job.interval), ("timeout", job.timeout)):
            if not GO_DURATION.match(value):
                yield Diagnostic.of("OBS201", f"scrape {what} {value!r} of job {job.name!r} is "
                                    "not a duration Alloy accepts", job.source,
                                    "Alloy takes ns us ms s m h units: write 24h, not 1d")


def _not_catalog(scrape: Scrape, names: list[str]) -> str:
    if scrape.job_name in names:
        return (f"{alloy_name(scrape)} {scrape.label!r} scrapes a ScrapeJob named "
                f"{scrape.job_name!r} that is not the catalog's object of that name")
    message = (f"{alloy_name(scrape)} {scrape.label!r} scrapes job {scrape.job_name!r}, "
               "which is not a catalog scrape job")
    close = difflib.get_close_matches(scrape.job_name, names, n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return f"{message}; catalog jobs: {', '.join(names) or 'none'}"
