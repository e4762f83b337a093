"""Which growth layers of the Ontwikkelmodel each training module serves (Tabel 1.2 of the handbook, read from the
reference content): ``training_module_layers`` for the list, ``module_layers`` for a session. (The school page's team
training section is built by pages/dashboard.py.)
"""

from django import template

from reference.content import layers_for_module, training_modules

register = template.Library()


@register.simple_tag
def training_module_layers():
    """The four modules as named in the handbook (figure 1.2), each with the growth layers it serves."""
    return training_modules()


def module_numbers(kind_code: str) -> tuple[int, ...]:
    """The modules a session kind holds: "module1" is module 1, the combined day "module34" is modules 3 and 4."""
    digits = kind_code.removeprefix("module") if kind_code else ""
    if not kind_code or not kind_code.startswith("module") or not digits.isdigit():
        return ()
    numbers = tuple(int(d) for d in digits)
    return numbers if all(1 <= n <= 4 for n in numbers) else ()


@register.filter
def module_layers(kind_code) -> tuple[int, ...]:
    """The growth layers the module(s) of a session kind serve, sorted; () for sessions that are not a module."""
    return tuple(sorted({layer for n in module_numbers(str(kind_code or "")) for layer in layers_for_module(n)}))
