"""The consent page and the error page of ``/oauth2/authorize``: plain server-rendered HTML,
no script, no external asset."""

from __future__ import annotations

from html import escape

ACTIONS = {"read": "See", "write": "Create, change and delete"}
OPENID = {
    "openid": "Know who you are (OpenID Connect)",
    "profile": "See your name",
    "email": "See your email address",
    "site": "See which site this is",
}

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;color:#1d2330}
main{max-width:30rem;margin:4rem auto;background:#fff;border-radius:8px;padding:2rem;
box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.3rem;margin-top:0}ul{padding-left:1.2rem}li{margin:.3rem 0}
.actions{display:flex;gap:.75rem;margin-top:1.5rem}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #aab;cursor:pointer}
button[value=approve]{background:#2855d8;color:#fff;border-color:#2855d8}
.note{color:#667;font-size:.85rem}
"""


def describe(scope: str) -> str:
    """``write:courses`` -> "Create, change and delete courses"."""
    if scope in OPENID:
        return OPENID[scope]
    action, _, resource = scope.partition(":")
    return f"{ACTIONS.get(action, action)} {resource.replace('_', ' ')}"


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def consent_page(
    *,
    site_name: str,
    subdomain: str,
    app_name: str,
    scopes: list[str],
    params: list[tuple[str, str]],
) -> str:
    """Ask the site's admin to install the app with these scopes. The form posts the request's
    own parameters back with the decision."""
    items = "".join(
        f"<li><code>{escape(scope)}</code>: {escape(describe(scope))}</li>" for scope in scopes
    )
    hidden = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in params
    )
    body = (
        f"<h1>Install {escape(app_name)} on {escape(site_name)}?</h1>"
        f"<p><strong>{escape(app_name)}</strong> asks to:</p>"
        f'<ul id="scopes">{items or "<li>Nothing beyond installing</li>"}</ul>'
        f'<form method="post" action="/oauth2/authorize">{hidden}'
        '<div class="actions">'
        '<button type="submit" name="decision" value="approve">Approve</button>'
        '<button type="submit" name="decision" value="deny">Deny</button></div></form>'
        f'<p class="note">Site <code>{escape(subdomain)}</code>. Syllabus has no sign-in: this '
        "page stands for the site admin's approval.</p>"
    )
    return _page(f"Install {app_name}", body)


def error_page(error: str, description: str) -> str:
    """A request that cannot be sent back to the app (unknown app or redirect URI)."""
    body = (
        "<h1>This app can't be authorized</h1>"
        f'<p id="error"><code>{escape(error)}</code>: {escape(description)}</p>'
    )
    return _page("Authorization error", body)
