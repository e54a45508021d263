"""The argument tables of the Alloy components obsgen models, one module per family."""
