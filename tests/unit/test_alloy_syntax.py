"""Alloy lexer, parser and printer: values, positions, error messages, layout, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from obsgen.alloy import ast
from obsgen.alloy.parser import AlloySyntaxError, parse, parse_expression
from obsgen.alloy.printer import format_body, format_node, format_text
from obsgen.alloy.tokens import is_identifier


def value_of(text: str) -> ast.Expr:
    stmt = parse(text).stmts[0]
    assert isinstance(stmt, ast.Attribute)
    return stmt.value


def errors_of(text: str) -> list[str]:
    with pytest.raises(AlloySyntaxError) as info:
        parse(text, "x.alloy")
    return [str(e) for e in info.value.errors]


# --- values and tree shape ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value"), [
    (r'"a\tb\"c\\"', 'a\tb"c\\'),
    (r'"\x41\101\u00e9\U0001F600"', "AA\u00e9\U0001F600"),
    ('`raw \\n "quoted"\nsecond line`', 'raw \\n "quoted"\nsecond line'),
    ('"${HOME}"', "${HOME}"),
])
def test_string_values_decode_as_alloy_does(text: str, value: str) -> None:
    lit = value_of(f"a = {text}\n")
    assert lit == ast.StringLiteral(value)
    assert isinstance(lit, ast.StringLiteral) and lit.text == text


@pytest.mark.parametrize(("text", "value"), [
    ("15", 15), ("0123", 0o123), ("089", 89.0), ("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0),
])
def test_numbers_decode_as_go_strconv_does(text: str, value: float) -> None:
    lit = value_of(f"a = {text}")
    assert isinstance(lit, ast.NumberLiteral)
    assert lit.value == value and type(lit.value) is type(value)


def test_dotted_reference_call_and_index() -> None:
    expr = parse_expression('sys.env("X")[0].y')
    env = ast.Call(ast.Access(ast.Identifier("sys"), "env"), (ast.StringLiteral("X"),))
    assert expr == ast.Access(ast.Index(env, ast.NumberLiteral(0)), "y")


def test_operator_precedence_and_associativity() -> None:
    expr = parse_expression("!a || b && 1 + 2 * 3 ^ 2 ^ 2 == 7 - -1")
    n, i = ast.NumberLiteral, ast.Identifier
    power = ast.Binary("^", n(3), ast.Binary("^", n(2), n(2)))
    sum_ = ast.Binary("+", n(1), ast.Binary("*", n(2), power))
    compare = ast.Binary("==", sum_, ast.Binary("-", n(7), ast.Unary("-", n(1))))
    assert expr == ast.Binary("||", ast.Unary("!", i("a")), ast.Binary("&&", i("b"), compare))


def test_left_associative_subtraction() -> None:
    n = ast.NumberLiteral
    assert parse_expression("1 - 2 - 3") == ast.Binary("-", ast.Binary("-", n(1), n(2)), n(3))


def test_blocks_labels_objects_and_positions() -> None:
    body = parse('prometheus.scrape "app" {\n\ttargets = [{"__address__" = "h:1", x = 2}]\n}\n')
    block = body.stmts[0]
    assert isinstance(block, ast.Block)
    assert (block.name, block.label, block.full_name) == (
        ("prometheus", "scrape"), "app", "prometheus.scrape")
    assert (block.pos, block.label_pos, block.lcurly, block.end) == (
        ast.Position(1, 1), ast.Position(1, 19), ast.Position(1, 25), ast.Position(3, 1))
    attr = block.body.stmts[0]
    assert isinstance(attr, ast.Attribute) and attr.pos == ast.Position(2, 2)
    assert isinstance(attr.value, ast.Array)
    obj = attr.value.elements[0]
    assert isinstance(obj, ast.Object)
    assert [(f.key, f.quoted, f.pos) for f in obj.fields] == [
        ("__address__", True, ast.Position(2, 14)), ("x", False, ast.Position(2, 37))]


def test_comments_are_kept_in_groups() -> None:
    body = parse("// one\n// two\na = 1 // three\n\n/* four */\n")
    assert [[c.text for c in g.comments] for g in body.comments] == [
        ["// one", "// two"], ["// three"], ["/* four */"]]
    assert body.comments[1].comments[0].pos == ast.Position(3, 7)


def test_hash_is_not_a_comment() -> None:
    assert errors_of("# no\n")[0] == "1:1: illegal character U+0023 '#'"


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "error"), [
    ("a = 'x'\n", "1:5: illegal single-quoted string; use double quotes"),
    ('a = "\\\'"\n', "1:7: unknown escape sequence"),
    ('a = "\\xZZ"\n', "1:7: illegal character U+005A 'Z' in escape sequence"),
    ('a = "\\uD800"\n', "1:7: escape sequence is invalid Unicode code point"),
    ('a = "abc\n', "1:5: string literal not terminated"),
    ("a = 1 /* open\n", "1:7: block comment not terminated"),
    ("a = 1e\n", "1:5: exponent has no digits"),
    ("a = b | c\n", "1:8: missing second | in ||"),
    ("a = 1 +\n", "2:1: expected expression, got EOF"),  # no terminator after an operator
    ("a = (1 +)\n", "1:9: expected expression, got )"),
    ("foo {\n\tbar = 1\n", "3:1: expected }, got EOF"),
    ("foo bar {\n}\n", "1:5: expected block label, got IDENT"),
    ('a.b = 1\n', '1:1: attribute names may only consist of a single identifier with no "."'),
    ("a = [1 2]\n", "1:8: missing ',' in expression list"),
    ("a = 1 b = 2\n", "1:7: expected TERMINATOR, got IDENT"),
    ("a = 1\n\tfoo\n", "2:5: expected block label, got TERMINATOR"),
    ("a = 1\nfoo 3\n", "2:5: expected block label, got NUMBER"),
    ('foo "x" 3\n', "1:9: expected block body, got NUMBER"),
    ("a = [1,\n2\n]\n", "2:2: missing ',' in expression list"),
])
def test_error_position_and_message(text: str, error: str) -> None:
    assert error in errors_of(text)


def test_syntax_error_carries_first_error_and_all_errors() -> None:
    with pytest.raises(AlloySyntaxError) as info:
        parse("a = 'x'\nb = 1 +\n", "cfg.alloy")
    exc = info.value
    assert (exc.filename, exc.line, exc.column) == ("cfg.alloy", 1, 5)
    assert exc.message == "illegal single-quoted string; use double quotes"
    assert [str(e) for e in exc.errors] == [
        "1:5: illegal single-quoted string; use double quotes",
        "1:5: expected expression, got ILLEGAL",
        "3:1: expected expression, got EOF"]
    assert str(exc).startswith("cfg.alloy:1:5: ")


# --- layout -------------------------------------------------------------------------------------


def test_equals_aligned_across_a_run_of_one_line_attributes() -> None:
    text = "a = 1\nlonger_name = 2\nc = [\n1,\n]\nd = 3\n"
    assert format_text(text) == (
        "a           = 1\nlonger_name = 2\nc           = [\n\t1,\n]\nd = 3\n")


def test_blank_lines_collapse_to_one_and_blocks_are_separated() -> None:
    text = "a = 1\n\n\n\nb = 2\nblk {\nx = 1\n}\nother { }\n"
    assert format_text(text) == "a = 1\n\nb = 2\n\nblk {\n\tx = 1\n}\n\nother { }\n"


def test_trailing_commas_and_comments_preserved() -> None:
    text = 'x = {\n  a = 1, // first\n  bb = "two",\n}\n// end\ny = [1, 2,]\n'
    assert format_text(text) == (
        'x = {\n\ta  = 1, // first\n\tbb = "two",\n}\n// end\ny = [1, 2]\n')


def test_strings_keep_tabs_and_trailing_blanks() -> None:
    # Alloy's own printer would turn the tab into alignment padding and trim the raw string.
    text = 'a = "\tx"\nbb = `y  \n  z`\n'
    assert format_text(text) == 'a  = "\tx"\nbb = `y  \n  z`\n'


def test_line_comment_inside_a_reference_keeps_the_code() -> None:
    text = "a = b.// note\nc\n"
    assert parse(format_text(text)) == parse(text)


def test_line_comment_inside_a_block_name_moves_before_the_block() -> None:
    text = 'a = 1\n\notelcol.// note\nexporter.otlp "x" {\n\ty = 1\n}\n'
    assert format_text(text) == 'a = 1\n\n// note\notelcol.exporter.otlp "x" {\n\ty = 1\n}\n'


def test_hand_built_tree_prints_in_alloy_layout() -> None:
    env = ast.Call(ast.Access(ast.Identifier("sys"), "env"), (ast.StringLiteral("TOKEN"),))
    auth = ast.Block(("basic_auth",), body=ast.Body((
        ast.Attribute("username", ast.StringLiteral("42")), ast.Attribute("password", env))))
    block = ast.Block(("prometheus", "remote_write"), "cloud", ast.Body((
        ast.Attribute("url", ast.StringLiteral("https://x/api")), auth)))
    scrape = ast.Block(("prometheus", "scrape"), "app", ast.Body((
        ast.Attribute("forward_to", ast.Array((ast.Access(ast.Access(ast.Access(
            ast.Identifier("prometheus"), "remote_write"), "cloud"), "receiver"),))),)))
    assert format_body(ast.Body((block, scrape))) == (
        'prometheus.remote_write "cloud" {\n'
        '\turl = "https://x/api"\n\n'
        '\tbasic_auth {\n'
        '\t\tusername = "42"\n'
        '\t\tpassword = sys.env("TOKEN")\n'
        '\t}\n'
        '}\n\n'
        'prometheus.scrape "app" {\n'
        '\tforward_to = [prometheus.remote_write.cloud.receiver]\n'
        '}\n')


def test_expanded_objects_print_as_alloy_convert_writes_them() -> None:
    target = ast.Object((ast.ObjectField("__address__", ast.StringLiteral("localhost:9464")),
                         ast.ObjectField("job", ast.StringLiteral("app"))))
    scrape = ast.Block(("prometheus", "scrape"), "app", ast.Body((
        ast.Attribute("targets", ast.Array((target, target))),
        ast.Attribute("forward_to", ast.Array((ast.Identifier("x"),))),
        ast.Attribute("labels", ast.Object((ast.ObjectField("a", ast.NumberLiteral(1)),))),
        ast.Attribute("empty", ast.Object()))))
    assert format_body(ast.Body((scrape,)), expand_objects=True) == (
        'prometheus.scrape "app" {\n'
        "\ttargets = [{\n"
        '\t\t__address__ = "localhost:9464",\n'
        '\t\tjob         = "app",\n'
        "\t}, {\n"
        '\t\t__address__ = "localhost:9464",\n'
        '\t\tjob         = "app",\n'
        "\t}]\n"
        "\tforward_to = [x]\n"
        "\tlabels     = {\n"
        "\t\ta = 1,\n"
        "\t}\n"
        "\tempty = {}\n"
        "}\n")


def test_format_node_prints_an_expression() -> None:
    assert format_node(ast.Object((ast.ObjectField("a b", ast.BoolLiteral(True), quoted=True),
                                   ast.ObjectField("c", ast.NullLiteral())))) == \
        '{"a b" = true, c = null}'


# --- round trips --------------------------------------------------------------------------------

unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
tricky_text = st.one_of(unicode_text, st.lists(st.sampled_from(
    ['"', "\\", "\n", "\r", "\t", "${", "}", "'", "`", "\x00", "\x7f", "\u2028", "é", "😀", "a"]),
    max_size=12).map("".join))


@settings(max_examples=300)
@given(tricky_text)
def test_any_string_value_survives_print_and_parse(value: str) -> None:
    text = format_body(ast.Body((ast.Attribute("v", ast.StringLiteral(value)),)))
    assert value_of(text) == ast.StringLiteral(value)
    assert format_text(text) == text


identifiers = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(is_identifier)
atoms = st.one_of(
    st.builds(ast.StringLiteral, tricky_text),
    st.builds(ast.NumberLiteral, st.integers(0, 2**63)),
    st.builds(ast.NumberLiteral, st.floats(0, 1e300, allow_nan=False, allow_infinity=False)),
    st.builds(ast.BoolLiteral, st.booleans()),
    st.just(ast.NullLiteral()),
    st.builds(ast.Identifier, identifiers),
)
exprs = st.recursive(atoms, lambda inner: st.one_of(
    st.builds(ast.Array, st.lists(inner, max_size=3).map(tuple)),
    st.builds(ast.Object, st.lists(st.builds(ast.ObjectField, identifiers, inner),
                                   max_size=3).map(tuple)),
    st.builds(ast.Call, st.builds(ast.Identifier, identifiers),
              st.lists(inner, max_size=3).map(tuple)),
    st.builds(ast.Access, st.builds(ast.Identifier, identifiers), identifiers),
), max_leaves=8)
stmts = st.recursive(
    st.builds(ast.Attribute, identifiers, exprs),
    lambda inner: st.builds(ast.Block, st.lists(identifiers, min_size=1, max_size=3).map(tuple),
                            st.one_of(st.none(), identifiers),
                            st.builds(ast.Body, st.lists(inner, max_size=3).map(tuple))),
    max_leaves=6)


@settings(max_examples=200)
@given(st.lists(stmts, max_size=4).map(lambda s: ast.Body(tuple(s))))
def test_hand_built_tree_survives_print_and_parse(body: ast.Body) -> None:
    for expand in (False, True):
        text = format_body(body, expand_objects=expand)
        assert parse(text) == body
        assert format_text(text) == text


# --- hostile input ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "a = " + "[" * 5000, "a = " + "-" * 5000 + "1", "a = " + " + ".join(["1"] * 3000),
    "a = b" + ".c" * 3000, "b {" * 3000, "a = " + "f(" * 3000,
])
def test_deep_nesting_is_a_syntax_error_not_a_crash(text: str) -> None:
    assert any("nested more than 50 levels deep" in e for e in errors_of(text))


fragments = st.sampled_from([
    "a", "b.c", " = ", "1", "1.5", '"s"', "`r\nx`", "[", "]", "{", "}", "(", ")", ",", "\n",
    "\n\n", " ", "\t", "+", "-", "!", "==", "&&", "true", "null", '"lbl"', "blk", ".", "f(", "^",
    "'", "\\", "#", "|", "1e", '"\\q"', "\x00", "\ufeff", "é"])
comments = st.sampled_from(["// c\n", "/* d */", "/* e\n f */", "/*"])


@settings(max_examples=400)
@given(st.lists(st.one_of(fragments, comments), max_size=30).map("".join))
def test_any_text_parses_or_raises_a_syntax_error(text: str) -> None:
    try:
        body = parse(text)
    except AlloySyntaxError as exc:
        assert all(e.line >= 1 and e.column >= 1 and e.message for e in exc.errors)
        return
    assert parse(format_body(body)) == body  # comments move at most, the code stays


@settings(max_examples=400)
@given(st.lists(fragments, max_size=30).map("".join))
def test_formatting_never_changes_the_tree(text: str) -> None:
    try:
        body = parse(text)
    except AlloySyntaxError:
        return
    assert parse(format_body(body)) == body
