"""`reverse()` for the many links of one page, without walking the URL resolver for each.

`reverse()` (and `{% url %}`) looks the name up, then formats and checks the path against its pattern with a regular
expression: tens of microseconds a link. A page with a link per row (the board page's schools, a route's steps, the
fill-in's steps) pays that hundreds of times. `fast_reverse(name, args)` reverses a name once with placeholder numbers
for its integer arguments, remembers the path around them, and from then on only puts the digits in: the same string
`reverse()` returns.

Only where that is certain: every argument a non-negative int (a primary key) or a short string (a step code), no
keyword arguments. A placeholder must come back verbatim, in order, for numbers of very different lengths (so the
pattern accepts any digits, like `<int:...>`); otherwise, and for anything else, it is `reverse()` itself. The
remembered paths are per URL configuration, script prefix and current app; string arguments are part of the key
(they are reversed for real once each), up to MAX_ENTRIES entries.

Templates get it with `{% load fasturls %}`: that library's `{% url %}` takes the same arguments as Django's
(core/templatetags/fasturls.py).
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

MAX_ENTRIES = 4096
MAX_STRING = 64  # longer string arguments (tokens) are not remembered
_PLACEHOLDERS = (
    (7_310_000_000_001, 7_310_000_000_002, 7_310_000_000_003, 7_310_000_000_004),
    (51, 52, 53, 54),
)
_UNSAFE = object()  # this name and argument shape always goes to reverse()
_cache: dict[tuple, object] = {}
_lock = threading.Lock()


def _is_int(value) -> bool:
    return type(value) is int and value >= 0  # not bool, not negative (a pattern of digits refuses "-1")


def _split(viewname, args, current_app, placeholders) -> list[str] | None:
    """The reversed path around the integer arguments, or None when it cannot be done by substitution."""
    ints = [i for i, a in enumerate(args) if _is_int(a)]
    if len(ints) > len(placeholders):
        return None
    filled = list(args)
    for n, i in enumerate(ints):
        filled[i] = placeholders[n]
    try:
        path = reverse(viewname, args=filled, current_app=current_app)
    except NoReverseMatch:
        return None
    parts = []
    rest = path
    for n in range(len(ints)):
        before, sep, rest = rest.partition(str(placeholders[n]))
        if not sep or str(placeholders[n]) in rest:
            return None
        parts.append(before)
    parts.append(rest)
    return parts


def _parts(viewname, args, current_app):
    long_parts = _split(viewname, args, current_app, _PLACEHOLDERS[0])
    short_parts = _split(viewname, args, current_app, _PLACEHOLDERS[1])
    if long_parts is None or long_parts != short_parts:
        return _UNSAFE
    zero = [0 if _is_int(a) else a for a in args]
    try:
        if reverse(viewname, args=zero, current_app=current_app) != "0".join(long_parts):
            return _UNSAFE
    except NoReverseMatch:
        return _UNSAFE
    return tuple(long_parts)


def fast_reverse(viewname: str, args=(), *, current_app: str | None = None) -> str:
    """reverse(viewname, args=args, current_app=current_app), faster for repeated names."""
    if not isinstance(viewname, str) or not all(_is_int(a) or (type(a) is str and len(a) <= MAX_STRING) for a in args):
        return reverse(viewname, args=args, current_app=current_app)
    key = (
        viewname,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        current_app,
        tuple(None if _is_int(a) else a for a in args),
    )
    parts = _cache.get(key)
    if parts is None:
        parts = _parts(viewname, args, current_app)
        with _lock:
            if len(_cache) < MAX_ENTRIES:
                _cache[key] = parts
    if parts is _UNSAFE:
        return reverse(viewname, args=args, current_app=current_app)
    assert isinstance(parts, tuple)
    ints = [str(a) for a in args if _is_int(a)]
    out = [parts[0]]
    for digits, part in zip(ints, parts[1:], strict=True):
        out.append(digits)
        out.append(part)
    return "".join(out)


def url_function(viewname: str, n_args: int, *, current_app: str | None = None):
    """A function of ``n_args`` integer arguments (primary keys) that gives fast_reverse(viewname, args), for a page
    that makes the same link for many rows: the name is looked up once, each link only puts the digits in."""
    sample = [0] * n_args
    fast_reverse(viewname, sample, current_app=current_app)  # remembers the parts (or that it cannot)
    key = (viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), current_app, (None,) * n_args)
    parts = _cache.get(key)
    if not isinstance(parts, tuple):
        return lambda *args: fast_reverse(viewname, list(args), current_app=current_app)

    def make(*args) -> str:
        if len(args) != n_args or not all(_is_int(a) for a in args):
            return fast_reverse(viewname, list(args), current_app=current_app)
        out = [parts[0]]
        for digits, part in zip(args, parts[1:], strict=True):
            out.append(str(digits))
            out.append(part)
        return "".join(out)

    return make


def clear() -> None:
    """Forget the remembered paths (tests that change the URL configuration)."""
    with _lock:
        _cache.clear()
