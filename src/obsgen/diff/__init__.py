"""`obsgen diff`: what a change does to the artifacts, item by item (rules, dashboards and
panels, runbook sections, Alloy components, the instrumentation module), not line by line.

One module per artifact kind turns an artifact into `Item`s; `compare` pairs them up between two
builds; the renderers print the result for a terminal, as JSON, or as Markdown."""
