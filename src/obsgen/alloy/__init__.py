"""Alloy configuration syntax: AST (`ast`), lexer (`lexer`), parser (`parser`), printer (`printer`).

`parser.parse(text, filename)` -> `ast.Body` (raises `parser.AlloySyntaxError`);
`printer.format_body(body)` / `printer.format_text(text)` -> canonical `alloy fmt` text.
"""
