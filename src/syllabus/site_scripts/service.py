from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from syllabus.context import Scope
from syllabus.errors import Unprocessable, found
from syllabus.events.recorder import read_recorded, record_read
from syllabus.kit.filters import Criteria
from syllabus.kit.wire import JSONObject
from syllabus.models import OAuthApp, SiteScript
from syllabus.oauth.apps import app_hosts, calling_app, signing_secret
from syllabus.pagination import PageParams
from syllabus.site_scripts.repository import SITE_SCRIPT_PAYLOAD, SiteScriptRepository
from syllabus.site_scripts.schemas import SiteScriptWrite

# The spec's 422 bodies (components/responses/SiteScriptPutPostError), all on `base`.
MISSING_INPUT = "must provide one of: src or content"
INVALID_SOURCE = "the source of the script must match the app's domain"
MISSING_SIGNATURE = "Missing header `HMAC-SHA256-SIGNATURE`"
INVALID_SIGNATURE = "Invalid header `HMAC-SHA256-SIGNATURE`"
# Not in the spec, which says only that one of them "should be specified".
BOTH_INPUTS = "must provide only one of: src or content"
DEFAULT_LOCATION = "footer"
DEFAULT_LOAD_METHOD = "async"


def _refused(message: str) -> Unprocessable:
    return Unprocessable({"base": [message]})


def content_signature(content: str, secret: str) -> str:
    """What ``HMAC-SHA256-SIGNATURE`` must say for ``content``: the lowercase hex HMAC-SHA256
    of the content keyed with ``secret`` (Ruby's ``OpenSSL::HMAC.hexdigest``)."""
    key = secret.encode("utf-8", "surrogatepass")
    return hmac.new(key, content.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def signed(content: str, signature: str, secret: str | None) -> bool:
    """Whether ``signature`` (hex, either case) signs ``content`` with ``secret``."""
    if secret is None:
        return False
    given = signature.strip().lower().encode("utf-8", "surrogatepass")
    return hmac.compare_digest(given, content_signature(content, secret).encode())


def source_host(src: str) -> str | None:
    """The host of ``src`` when it is an absolute http(s) URL, else None."""
    if any(character.isspace() for character in src):
        return None
    try:
        parts = urlsplit(src)
        host = parts.hostname
    except ValueError:  # an unclosed IPv6 bracket
        return None
    return host if parts.scheme in ("http", "https") and host else None


def on_app_domain(host: str, app: OAuthApp | None) -> bool:
    """Whether a script hosted on ``host`` may be the app's: Thinkific wants the src's
    top-level domain to be the app URL's, here the domain of one of the app's redirect URIs.
    No app (an API key's caller): any host. The registrable domain is approximated by the last
    two labels (no public suffix list)."""
    if app is None:
        return True
    domain = host.lower().split(".")[-2:]
    return any(domain == own.lower().split(".")[-2:] for own in app_hosts(app))


class SiteScriptService:
    """Site scripts. No Thinkific webhook topic covers them: each write records an internal
    ``site_script.*`` event, the script with alphabetical keys."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.scripts = SiteScriptRepository(scope)

    def list(self, params: PageParams) -> JSONObject:
        return self.scripts.page(Criteria(), params)

    def read(self, script_id: str) -> JSONObject:
        return {"site_script": found(self.scripts.read(self._id(script_id)))}

    def create(self, data: SiteScriptWrite, signature: str | None) -> JSONObject:
        app = calling_app(self.scope)
        script = SiteScript(
            location=DEFAULT_LOCATION,
            load_method=DEFAULT_LOAD_METHOD,
            app_client_id=None if app is None else app.client_id,
        )
        self._write(script, data, signature)
        self.scripts.add(script)
        self.scripts.flush()
        body = read_recorded(
            self.scope, "site_script.created", self.scripts, script.id, SITE_SCRIPT_PAYLOAD
        )
        return {"site_script": body}

    def update(self, script_id: str, data: SiteScriptWrite, signature: str | None) -> None:
        """Replace the script's fields; the one of ``src`` and ``content`` not given is cleared."""
        script = found(self.scripts.get(self._id(script_id)))
        self._write(script, data, signature)
        self.scripts.touch(script)
        self.scripts.flush()
        record_read(self.scope, "site_script.updated", self.scripts, script.id, SITE_SCRIPT_PAYLOAD)

    def delete(self, script_id: str) -> None:
        script = found(self.scripts.get(self._id(script_id)))
        record_read(self.scope, "site_script.deleted", self.scripts, script.id, SITE_SCRIPT_PAYLOAD)
        self.scripts.delete(script)
        self.scripts.flush()

    def _id(self, script_id: str) -> int:
        return found(self.scripts.id_of(script_id))

    def _write(self, script: SiteScript, data: SiteScriptWrite, signature: str | None) -> None:
        """Check the script's source (the spec's 422s) and set every field of ``data``."""
        src = data.src if data.src and data.src.strip() else None
        content = data.content if data.content and data.content.strip() else None
        if src is None and content is None:
            raise _refused(MISSING_INPUT)
        if src is not None and content is not None:
            raise _refused(BOTH_INPUTS)
        app = calling_app(self.scope)
        if src is not None:
            host = source_host(src)
            if host is None or not on_app_domain(host, app):
                raise _refused(INVALID_SOURCE)
        elif content is not None:
            if signature is None or not signature.strip():
                raise _refused(MISSING_SIGNATURE)
            if not signed(content, signature, signing_secret(self.scope, app)):
                raise _refused(INVALID_SIGNATURE)
        script.src, script.content = src, content
        script.name = data.name
        script.description = data.description
        script.page_scopes = list(data.page_scopes)
        script.category = data.category
        if data.location is not None:
            script.location = data.location
        if data.load_method is not None:
            script.load_method = data.load_method
