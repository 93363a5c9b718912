"""What the journal keeps of a body or a query string: its start, with secrets redacted.

A body is cut first, at ``SYLLABUS_JOURNAL_BODY_BYTES``, then redacted, so that redacting costs
the same for a body of any size. In a request's body and query string, every value whose key
names a secret (a password, a token, a client secret, an API key, a signature: ``SECRET_KEY``)
becomes ``[REDACTED]``, in each form a client sends (FIDELITY §9.1):

* JSON, ``"password": "..."``, a value cut short by the cut included;
* forms and query strings, ``user[password]=...``;
* multipart forms, the part named ``password``.

Answers are kept as sent: the APIs never answer a password or a credential, and scanning
every answer would cost more than the rest of the journal. Credential headers are never
recorded at all.
"""

from __future__ import annotations

import re

REDACTED = "[REDACTED]"
# A key that names a secret, in any case: password, password_confirmation, client_secret,
# access_token, refresh_token, api_key, X-Auth-API-Key, authorization, signature ...
SECRET_KEY = r"[^\"\\&=;\s]*(?:passw|secret|token|api[_-]?key|authoriz|signature)[^\"\\&=;\s]*"

_JSON = re.compile(
    rf'("{SECRET_KEY}"\s*:\s*)(?:"(?:[^"\\]|\\.)*(?:"|\\?\Z)|[^\s,}}\]]+)', re.IGNORECASE
)
_FORM = re.compile(rf"((?:^|[?&;]){SECRET_KEY}=)[^&;]*", re.IGNORECASE)
_MULTIPART = re.compile(
    rf'(name="{SECRET_KEY}"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n).*?(?=\r?\n--|\Z)',
    re.IGNORECASE | re.DOTALL,
)


# Words one of which every secret-naming key contains: most bodies have none, and are left as
# they are after one pass over their lowercase text.
_HINTS = ("passw", "secret", "token", "apikey", "api_key", "api-key", "authoriz", "signature")


def redact(text: str) -> str:
    """``text`` with the value of every secret-named key replaced by ``[REDACTED]``."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINTS):
        return text
    text = _JSON.sub(rf'\1"{REDACTED}"', text)
    text = _FORM.sub(rf"\1{REDACTED}", text)
    return _MULTIPART.sub(rf"\1{REDACTED}", text)


def excerpt(
    chunks: list[bytes], size: int, limit: int, *, secrets: bool = True
) -> tuple[str | None, bool]:
    """The start of a body that arrived in ``chunks`` (``size`` bytes in all, though the
    chunks may hold only its start), at most ``limit`` bytes of it, as text, redacted unless
    it can hold no ``secrets``; and whether it was cut. None for an empty body, or when no
    byte is kept."""
    if size == 0 or limit == 0:
        return None, size > limit
    raw = b"".join(chunks)[:limit]
    if b"\x00" in raw:  # PostgreSQL stores no NUL character
        raw = raw.replace(b"\x00", "\ufffd".encode())
    cut = size > limit
    text = raw.decode("utf-8", "replace")
    if cut:
        text = text.removesuffix("\ufffd")  # a character the cut split
    return (redact(text) if secrets else text), cut


def clean(text: str) -> str:
    """``text`` as PostgreSQL stores it: no NUL characters."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text
