"""The model: frozen dataclasses describing what a project defines. No I/O."""
