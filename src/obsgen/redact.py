"""Keep credentials out of everything obsgen prints: the shapes of well-known tokens, URLs with
user:password@ or a credential in their query, and the values a deploy authenticates with
when a server echoes them back.

Token shapes follow the issuers' published formats: Grafana service-account tokens (`glsa_`)
and Grafana Cloud access-policy tokens (`glc_`), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`,
`ghr_`, `github_pat_`; charset [A-Za-z0-9_]), Slack tokens (`xoxb-`, `xoxp-`, ...), AWS access
key ids (`AKIA`/`ASIA`/`ABIA`/`ACCA` and 16 upper-case letters or digits) and JSON Web Tokens
(and Grafana's legacy API keys, base64 JSON: `eyJ...`).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "****"

_EDGE_BEFORE = r"(?<![A-Za-z0-9_])"
_EDGE_AFTER = r"(?![A-Za-z0-9_])"
TOKEN_SHAPES: tuple[tuple[str, str], ...] = (
    ("a Grafana service-account token", r"glsa_[A-Za-z0-9_]{16,}"),
    ("a Grafana Cloud access-policy token", r"glc_[A-Za-z0-9+/=_-]{16,}"),
    ("a GitHub token", r"gh[pousr]_[A-Za-z0-9_]{30,255}"),
    ("a GitHub fine-grained token", r"github_pat_[A-Za-z0-9_]{22,255}"),
    ("a Slack token", r"xox[a-z]-[A-Za-z0-9-]{10,}"),
    ("an AWS access key id", r"(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}"),
    ("a JSON Web Token or Grafana API key", r"eyJ[A-Za-z0-9_=-]{10,}(?:\.[A-Za-z0-9_=-]*){0,2}"),
)
_SHAPES = tuple((kind, re.compile(pattern)) for kind, pattern in TOKEN_SHAPES)
_ANY_SHAPE = re.compile(_EDGE_BEFORE + "(?:" + "|".join(p for _, p in TOKEN_SHAPES) + ")"
                        + _EDGE_AFTER)

# Query or fragment parameters whose value is a credential, matched on the lower-cased name.
SENSITIVE_PARAM = re.compile(r"token|key|secret|pass|pwd|auth|sig|credential|session")
_URL = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s\"'<>`]+")
_PARAM = re.compile(r"([^&;=]*)(=)([^&;]*)")
_USERINFO = re.compile(r"//[^/?#@\s]*@")
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]{8,}")
_BASIC = re.compile(r"(?i)\b(basic)(\s+)([A-Za-z0-9+/]{4,}={0,2})")
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
# An Authorization header quoted in text: its scheme stays, its credential goes.
_HEADER = re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:([A-Za-z]+)(\s+))?"
                     r"[^\s\"',;)}\]]+")


def token_kind(value: str) -> str | None:
    """What kind of credential `value` is shaped like, or None. A long random-looking string
    counts too: a name someone chose does not look like that."""
    for kind, pattern in _SHAPES:
        if pattern.fullmatch(value):
            return kind
    return "a random-looking secret" if random_looking(value) else None


def random_looking(value: str) -> bool:
    """A run of 16 or more letters and digits that breaks into words (`Api`, `KEY`, `2024`)
    as short as random text does: MyServiceApiKeyForProduction2 and K8S_CLUSTER_1_API_TOKEN
    are names, a3f9c2e81b7d4f60 and aB3dE5gH7jK9mN1p are not. Catches most random tokens of
    that length (a heuristic: the prefixed shapes above are the exact part)."""
    if not value.isascii():
        return False
    for run in value.split("_"):
        words = _WORD.findall(run)
        if len(run) >= 16 and run.isalnum() and len(words) >= 6 \
                and len(run) / len(words) < 2.5 and _entropy(run) >= 3.0:
            return True
    return False


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def token_spans(line: str) -> list[tuple[int, int]]:
    """Where token-shaped words are in `line` (start, end)."""
    return [match.span() for match in _ANY_SHAPE.finditer(line)]


# --- URLs ----------------------------------------------------------------------------------


def url(text: str) -> str:
    """`text` as a URL safe to print: no user:password@, no value of a sensitive query or
    fragment parameter, whatever the case of the scheme or the whitespace around it."""
    stripped = text.strip()
    try:
        parts = urlsplit(stripped)
        netloc = parts.netloc.rpartition("@")[2]
        userinfo = MASK + "@" if "@" in parts.netloc else ""
        return urlunsplit((parts.scheme, userinfo + netloc, parts.path,
                           _params(parts.query), _params(parts.fragment)))
    except ValueError:  # not parseable (a broken IPv6 host, say): scrub by pattern
        return _USERINFO.sub("//" + MASK + "@", stripped)


def sensitive_params(text: str) -> list[str]:
    """The names of the parameters in a query string whose values are credentials."""
    return [unquote(m.group(1)) for m in _PARAM.finditer(text)
            if SENSITIVE_PARAM.search(unquote(m.group(1)).lower()) and m.group(3)]


def _params(text: str) -> str:
    def masked(match: re.Match[str]) -> str:
        name = unquote(match.group(1)).lower()
        if SENSITIVE_PARAM.search(name) and match.group(3):
            return match.group(1) + "=" + MASK
        return match.group(0)

    return _PARAM.sub(masked, text)


# --- free text -----------------------------------------------------------------------------


def credential_forms(token: str | None = None,
                     basic: tuple[str, str] | None = None) -> tuple[str, ...]:
    """Every form in which a server could echo these credentials: the token, the key,
    user:key, and base64(user:key) with and without padding, longest first."""
    forms: set[str] = set()
    if token:
        forms.add(token)
    if basic is not None:
        user, key = basic
        pair = f"{user}:{key}"
        encoded = base64.b64encode(pair.encode("utf-8")).decode("ascii")
        forms.update({key, pair, encoded, encoded.rstrip("="),
                      base64.urlsafe_b64encode(pair.encode("utf-8")).decode("ascii")})
    # Very short values would mangle ordinary text and are no secret worth the name.
    return tuple(sorted((f for f in forms if len(f) >= 4), key=len, reverse=True))


def authorization_forms(headers: Mapping[str, str],
                        auth: tuple[str, str] | None) -> tuple[str, ...]:
    """credential_forms() of a request's Authorization header and basic auth."""
    header = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    scheme, _, value = header.strip().partition(" ")
    token = value.strip() or None
    if scheme.lower() == "basic" and token:
        decoded = _basic_pair(token)
        return credential_forms(token, decoded) if decoded else credential_forms(token, auth)
    return credential_forms(token, auth)


def text(value: str, secrets: Iterable[str] = ()) -> str:
    """`value` with the given secret values, Authorization headers, Bearer/Basic credentials,
    token-shaped words and the credentials in URLs replaced by ****."""
    for secret in secrets:
        value = value.replace(secret, MASK)
    value = _HEADER.sub(lambda m: m.group(1) + (m.group(2) or "") + (m.group(3) or "") + MASK,
                        value)
    value = _BEARER.sub(lambda m: m.group(1) + m.group(2) + MASK, value)
    value = _BASIC.sub(_basic_masked, value)
    value = _ANY_SHAPE.sub(MASK, value)
    return _URL.sub(lambda m: url(m.group(0)), value)


def _basic_masked(match: re.Match[str]) -> str:
    if _basic_pair(match.group(3)) is None:  # "Basic authentication failed" stays as it is
        return match.group(0)
    return match.group(1) + match.group(2) + MASK


def _basic_pair(encoded: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        user, sep, key = decoded.decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (user, key) if sep else None
