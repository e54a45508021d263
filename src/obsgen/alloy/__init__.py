"""Alloy configuration syntax, rewritten from grafana/alloy `syntax/` (v1.18).

- `ast`: frozen syntax tree with 1-based positions; `tokens`: token kinds and character classes;
  `lexer`: text -> tokens; `literals`: string and number values, Go-style quoting;
- `parser.parse(text, filename) -> ast.Body`, raising `parser.AlloySyntaxError` (`.line`,
  `.column`, `.message`, every error in `.errors`); the statement rules are in `parser`, the
  expression rules in `expression_parser`, both over `token_stream`;
- `printer.format_body(body)` / `printer.format_text(text)`: the canonical `alloy fmt` text
  (`tabwriter` does its column alignment and trimming);
- `diagnose.syntax_diagnostics(text, path)`: OBS801/OBS802 diagnostics for `obsgen lint`.

Columns count characters (Alloy counts bytes). Deliberate differences from `alloy fmt`, each
where Alloy's printer would change a value or the code: tabs and trailing blanks inside strings
are kept, and a `//` comment is never followed by code on its line.
"""
