"""``{% once_per_language "name" %}…{% endonce_per_language %}``: a part of the layout rendered
once per process and language, then reused (issue 14: the layout was most of a simple page's
CPU).

Only for template text that depends on nothing but the active language and the URL
configuration (the footer's links, the language menu's options, the brand): never put the
user, the request, a form or a CSRF token inside. Extra arguments after the name are resolved
in the context and become part of the key, for a part that varies over a few values only.
The rendered parts are forgotten when a test changes the settings that shape them
(``setting_changed``), and the store is bounded.
"""

import threading

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MAX_ENTRIES = 512  # names × languages × variants: a few dozen in practice

_rendered: dict[tuple, str] = {}
_lock = threading.Lock()


def clear() -> None:
    with _lock:
        _rendered.clear()


@receiver(setting_changed)
def _forget_on_setting_change(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "STATIC_URL", "STORAGES"}:
        clear()


class OncePerLanguageNode(template.Node):
    def __init__(self, name, vary_on, nodelist):
        self.name, self.vary_on, self.nodelist = name, vary_on, nodelist

    def render(self, context):
        key = (
            self.name,
            get_language(),
            *(variable.resolve(context) for variable in self.vary_on),
        )
        text = _rendered.get(key)
        if text is None:
            text = self.nodelist.render(context)
            with _lock:
                if len(_rendered) >= MAX_ENTRIES:
                    _rendered.clear()
                _rendered[key] = text
        return mark_safe(text)  # noqa: S308 - the template's own output, escaped as it rendered


@register.tag("once_per_language")
def do_once_per_language(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes a quoted name, then optional values to vary on"
        )
    nodelist = parser.parse(("endonce_per_language",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(bit) for bit in bits[2:]]
    return OncePerLanguageNode(bits[1][1:-1], vary_on, nodelist)
