"""The login and logout pages: plain server-rendered HTML, no scripts, one inline stylesheet.

Both are in the request's language (carnet.server.i18n); messages are keyed by their English.
"""

from __future__ import annotations

import html

from carnet.server.i18n import translate

_STYLE = """
:root { color-scheme: light dark; --accent: #2f6feb; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: Canvas; color: CanvasText; }
main { width: min(24rem, 92vw); padding: 2rem; border-radius: 10px;
  border: 1px solid color-mix(in srgb, CanvasText 15%, transparent);
  box-shadow: 0 4px 24px color-mix(in srgb, CanvasText 8%, transparent); }
h1 { margin: 0 0 1.25rem; font-size: 1.35rem; font-weight: 600; }
h1 span { color: var(--accent); }
label { display: block; margin: 0.9rem 0 0.3rem; font-weight: 500; }
input[type=password] { width: 100%; padding: 0.55rem 0.7rem; font: inherit;
  border: 1px solid color-mix(in srgb, CanvasText 30%, transparent); border-radius: 6px; }
input[type=password]:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
button { margin-top: 1.2rem; width: 100%; padding: 0.6rem; font: inherit; font-weight: 600;
  color: white; background: var(--accent); border: 0; border-radius: 6px; cursor: pointer; }
.error { margin: 0 0 1rem; padding: 0.6rem 0.8rem; border-radius: 6px;
  background: color-mix(in srgb, #d1242f 15%, Canvas); }
.hint, details { margin-top: 1rem; font-size: 0.88rem; opacity: 0.8; }
code { font-size: 0.85em; }
"""


def _document(title: str, body: str, language: str) -> str:
    return (
        f"<!DOCTYPE html>\n<html lang='{html.escape(language, quote=True)}'><head>"
        "<meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )


def login_page(
    *,
    action: str,
    next_url: str,
    xsrf_token: str,
    has_password: bool,
    allow_password_change: bool,
    error: str = "",
    language: str = "en",
) -> str:
    """The login form; it accepts the password or the token in the same field.

    `error` is already translated (it may carry numbers).
    """

    def _(message: str, **values: object) -> str:
        return html.escape(translate(language, message, **values))

    label = _("Password or token") if has_password else _("Token")
    error_html = f"<p class='error' role='alert'>{html.escape(error)}</p>" if error else ""
    change = ""
    if allow_password_change:
        change = (
            f"<details><summary>{_('Set a new password (log in with the token)')}</summary>"
            f"<label for='new_password'>{_('New password')}</label>"
            "<input type='password' id='new_password' name='new_password' "
            "autocomplete='new-password'></details>"
        )
    hint_text = _(
        "The token is in the URL the server printed at start; {command} shows it again.",
        command="\0",
    )
    hint = "<p class='hint'>{}</p>".format(
        hint_text.replace("\0", "<code>carnet notebook list</code>")
    )
    body = (
        f"<h1><span>Carnet</span> · {_('Log in')}</h1>"
        f"{error_html}"
        f"<form method='post' action='{html.escape(action, quote=True)}'>"
        f"<input type='hidden' name='_xsrf' value='{html.escape(xsrf_token, quote=True)}'>"
        f"<input type='hidden' name='next' value='{html.escape(next_url, quote=True)}'>"
        f"<label for='password'>{label}</label>"
        "<input type='password' id='password' name='password' autofocus "
        "autocomplete='current-password' required>"
        f"{change}<button type='submit'>{_('Log in')}</button></form>{hint}"
    )
    return _document(translate(language, "Carnet: log in"), body, language)


def logged_out_page(login_url: str, language: str = "en") -> str:
    def _(message: str) -> str:
        return html.escape(translate(language, message))

    body = (
        f"<h1><span>Carnet</span> · {_('Logged out')}</h1>"
        f"<p>{_('You have logged out of this notebook server.')}</p>"
        f"<p><a href='{html.escape(login_url, quote=True)}'>{_('Log in again')}</a></p>"
    )
    return _document(translate(language, "Carnet: logged out"), body, language)
