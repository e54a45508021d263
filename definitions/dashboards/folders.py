"""The Grafana folder the hypertool dashboards live in."""

from obsgen import Folder

HYPERTOOL = Folder("Hypertool")
