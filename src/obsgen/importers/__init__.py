"""`obsgen import`: foreign artifacts (rule files, dashboards, runbooks, Alloy configs, a metrics
scrape) read into Python definitions that rebuild to the same artifacts.

The inverse of `obsgen.emit`: one module per foreign kind, each beside the emitter it undoes.
Every importer follows `contract`: it gets one input file and the run's `ImportEnv` (the catalog
and alert names every module may refer to), and returns the definitions modules it wrote and the
diagnostics it found; it never prints and never raises on bad input. `pysource` renders the
Python they write.
"""
