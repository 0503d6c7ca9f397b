"""Small presentation helpers for Plato's templates: icons and French display formats."""

from django import template
from django.template.base import TextNode, token_kwargs
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from stdnum import iban
from stdnum.fr import siren, siret

register = template.Library()

# Outline icons drawn on a 24 px grid (after Feather, MIT licence). Inline SVG needs no
# font or extra request and is allowed by our CSP (no style attribute involved).
_ICONS = {
    "home": '<path d="M3 9l9-7 9 7v11a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/><polyline points="9 22 9 12 15 12 15 22"/>',
    "users": '<path d="M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/>'
    '<path d="M23 21v-2a4 4 0 0 0-3-3.87"/><path d="M16 3.13a4 4 0 0 1 0 7.75"/>',
    "user": '<path d="M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2"/><circle cx="12" cy="7" r="4"/>',
    "briefcase": '<rect x="2" y="7" width="20" height="14" rx="2" ry="2"/>'
    '<path d="M16 21V5a2 2 0 0 0-2-2h-4a2 2 0 0 0-2 2v16"/>',
    "map-pin": '<path d="M21 10c0 7-9 13-9 13s-9-6-9-13a9 9 0 0 1 18 0z"/><circle cx="12" cy="10" r="3"/>',
    "calendar": '<rect x="3" y="4" width="18" height="18" rx="2" ry="2"/><line x1="16" y1="2" x2="16" y2="6"/>'
    '<line x1="8" y1="2" x2="8" y2="6"/><line x1="3" y1="10" x2="21" y2="10"/>',
    "clock": '<circle cx="12" cy="12" r="10"/><polyline points="12 6 12 12 16 14"/>',
    "plus": '<line x1="12" y1="5" x2="12" y2="19"/><line x1="5" y1="12" x2="19" y2="12"/>',
    "edit": '<path d="M17 3a2.83 2.83 0 1 1 4 4L7.5 20.5 2 22l1.5-5.5L17 3z"/>',
    "search": '<circle cx="11" cy="11" r="8"/><line x1="21" y1="21" x2="16.65" y2="16.65"/>',
    "mail": '<path d="M4 4h16c1.1 0 2 .9 2 2v12c0 1.1-.9 2-2 2H4c-1.1 0-2-.9-2-2V6c0-1.1.9-2 2-2z"/>'
    '<polyline points="22,6 12,13 2,6"/>',
    "phone": '<path d="M22 16.92v3a2 2 0 0 1-2.18 2 19.79 19.79 0 0 1-8.63-3.07 19.5 19.5 0 0 1-6-6 '
    "19.79 19.79 0 0 1-3.07-8.67A2 2 0 0 1 4.11 2h3a2 2 0 0 1 2 1.72 12.84 12.84 0 0 0 .7 2.81 "
    "2 2 0 0 1-.45 2.11L8.09 9.91a16 16 0 0 0 6 6l1.27-1.27a2 2 0 0 1 2.11-.45 12.84 12.84 0 0 0 "
    '2.81.7A2 2 0 0 1 22 16.92z"/>',
    "shield": '<path d="M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"/>',
    "lock": '<rect x="3" y="11" width="18" height="11" rx="2" ry="2"/><path d="M7 11V7a5 5 0 0 1 10 0v4"/>',
    "globe": '<circle cx="12" cy="12" r="10"/><line x1="2" y1="12" x2="22" y2="12"/>'
    '<path d="M12 2a15.3 15.3 0 0 1 4 10 15.3 15.3 0 0 1-4 10 15.3 15.3 0 0 1-4-10 15.3 15.3 0 0 1 4-10z"/>',
    "arrow-left": '<line x1="19" y1="12" x2="5" y2="12"/><polyline points="12 19 5 12 12 5"/>',
    "chevron-right": '<polyline points="9 18 15 12 9 6"/>',
    "settings": '<line x1="4" y1="21" x2="4" y2="14"/><line x1="4" y1="10" x2="4" y2="3"/>'
    '<line x1="12" y1="21" x2="12" y2="12"/><line x1="12" y1="8" x2="12" y2="3"/>'
    '<line x1="20" y1="21" x2="20" y2="16"/><line x1="20" y1="12" x2="20" y2="3"/>'
    '<line x1="1" y1="14" x2="7" y2="14"/><line x1="9" y1="8" x2="15" y2="8"/>'
    '<line x1="17" y1="16" x2="23" y2="16"/>',
    "layers": '<polygon points="12 2 2 7 12 12 22 7 12 2"/><polyline points="2 17 12 22 22 17"/>'
    '<polyline points="2 12 12 17 22 12"/>',
    "award": '<circle cx="12" cy="8" r="7"/><polyline points="8.21 13.89 7 23 12 20 17 23 15.79 13.88"/>',
    "star": '<polygon points="12 2 15.09 8.26 22 9.27 17 14.14 18.18 21.02 12 17.77 5.82 21.02 '
    '7 14.14 2 9.27 8.91 8.26 12 2"/>',
    "file-text": '<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/>'
    '<polyline points="14 2 14 8 20 8"/><line x1="16" y1="13" x2="8" y2="13"/>'
    '<line x1="16" y1="17" x2="8" y2="17"/>',
    "key": '<path d="M21 2l-2 2m-7.61 7.61a5.5 5.5 0 1 1-7.78 7.78 5.5 5.5 0 0 1 7.78-7.78zm0 0L15.5 7.5'
    'm0 0l3 3L22 7l-3-3m-3.5 3.5L19 4"/>',
    "info": '<circle cx="12" cy="12" r="10"/><line x1="12" y1="16" x2="12" y2="12"/>'
    '<line x1="12" y1="8" x2="12.01" y2="8"/>',
    "check-circle": '<path d="M22 11.08V12a10 10 0 1 1-5.93-9.14"/><polyline points="22 4 12 14.01 9 11.01"/>',
    "log-out": '<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4"/><polyline points="16 17 21 12 16 7"/>'
    '<line x1="21" y1="12" x2="9" y2="12"/>',
    "euro": '<path d="M18 7a7 7 0 1 0 0 10"/><line x1="4" y1="10" x2="13" y2="10"/>'
    '<line x1="4" y1="14" x2="13" y2="14"/>',
    "inbox": '<polyline points="22 12 16 12 14 15 10 15 8 12 2 12"/>'
    '<path d="M5.45 5.11L2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24'
    'a2 2 0 0 0-1.79 1.11z"/>',
    "x": '<line x1="18" y1="6" x2="6" y2="18"/><line x1="6" y1="6" x2="18" y2="18"/>',
    "alert-triangle": '<path d="M10.29 3.86L1.82 18a2 2 0 0 0 1.71 3h16.94a2 2 0 0 0 1.71-3L13.71 3.86'
    'a2 2 0 0 0-3.42 0z"/><line x1="12" y1="9" x2="12" y2="13"/><line x1="12" y1="17" x2="12.01" y2="17"/>',
    "download": '<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4"/><polyline points="7 10 12 15 17 10"/>'
    '<line x1="12" y1="15" x2="12" y2="3"/>',
    "upload": '<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4"/><polyline points="17 8 12 3 7 8"/>'
    '<line x1="12" y1="3" x2="12" y2="15"/>',
    "shuffle": '<polyline points="16 3 21 3 21 8"/><line x1="4" y1="20" x2="21" y2="3"/>'
    '<polyline points="21 16 21 21 16 21"/><line x1="15" y1="15" x2="21" y2="21"/><line x1="4" y1="4" x2="9" y2="9"/>',
    "user-plus": '<path d="M16 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"/><circle cx="8.5" cy="7" r="4"/>'
    '<line x1="20" y1="8" x2="20" y2="14"/><line x1="23" y1="11" x2="17" y2="11"/>',
    "slash": '<circle cx="12" cy="12" r="10"/><line x1="4.93" y1="4.93" x2="19.07" y2="19.07"/>',
    "copy": '<rect x="9" y="9" width="13" height="13" rx="2" ry="2"/>'
    '<path d="M5 15H4a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v1"/>',
    "refresh": '<polyline points="23 4 23 10 17 10"/><polyline points="1 20 1 14 7 14"/>'
    '<path d="M3.51 9a9 9 0 0 1 14.85-3.36L23 10M1 14l4.64 4.36A9 9 0 0 0 20.49 15"/>',
}


@register.simple_tag
def icon(name: str, css_class: str = "") -> str:
    """An inline decorative SVG icon, e.g. {% icon "users" %}; hidden from screen readers."""
    paths = _ICONS.get(name)
    if paths is None:
        raise template.TemplateSyntaxError(f"Unknown icon {name!r}.")
    classes = f"icon {css_class}".strip()
    return format_html(
        '<svg class="{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" '
        'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false">{}</svg>',
        classes,
        mark_safe(paths),  # noqa: S308 — constant markup defined above
    )


@register.filter
def month_names(numbers) -> list[str]:
    """[7, 8] → ["July", "August"] in the active language, in calendar order."""
    return [str(MONTHS[number]) for number in sorted(numbers or []) if number in MONTHS]


@register.filter
def siret_display(value: str) -> str:
    """55210055400013 → 552 100 554 00013, a SIREN → 552 100 554 (python-stdnum's
    grouping, with no-break spaces so that a number never wraps)."""
    digits = (value or "").replace(" ", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (9, 14):
        return value
    grouped = siren.format(digits) if len(digits) == 9 else siret.format(digits)
    return grouped.replace(" ", "\u00a0")


@register.filter
def iban_display(value: str) -> str:
    """FR7630006000011234567890189 → FR76 3000 6000 0112 3456 7890 189."""
    return iban.format(value or "")


@register.filter
def initials(person) -> str:
    """Two letters for an avatar: first and last name, or the e-mail's first letter."""
    first = (getattr(person, "first_name", "") or "")[:1]
    last = (getattr(person, "last_name", "") or "")[:1]
    letters = f"{first}{last}" or (getattr(person, "email", "") or "?")[:1]
    return letters.upper()


@register.filter
def sum_of(rows, attribute: str) -> int:
    """Total of one numeric attribute over rows, e.g. chapters|sum_of:"company_count"."""
    return sum(getattr(row, attribute, 0) or 0 for row in rows)


@register.filter
def without_placeholder(bound_field):
    """Drop a placeholder that only repeats the visible label (allauth sets them so).

    Form fields are copied per form instance, so this touches only the form being shown.
    """
    bound_field.field.widget.attrs.pop("placeholder", None)
    return bound_field


@register.inclusion_tag("_partials/breadcrumbs.html")
def breadcrumbs(*crumbs):
    """The trail above a page's title: (label, URL) pairs, then the current page's label.

        {% url 'members:company_list' as companies_url %}
        {% breadcrumbs _("Companies") companies_url company.name %}

    A missing URL is an error rather than a link to the page itself: `{% url ... as name %}`
    leaves the name empty when the URL does not reverse.
    """
    if len(crumbs) % 2 != 1:
        raise template.TemplateSyntaxError(
            f"breadcrumbs takes (label, URL) pairs then the current page's label; it got {len(crumbs)} values."
        )
    links = [{"label": label, "url": url} for label, url in zip(crumbs[:-1:2], crumbs[1::2], strict=True)]
    if empty := [str(link["label"]) for link in links if not link["url"]]:
        raise template.TemplateSyntaxError(f"breadcrumbs: no URL for {empty}.")
    return {"links": links, "current": crumbs[-1]}


# --- The page header --------------------------------------------------------------------------

# What a page header shows, top to bottom; actions sit on its right (below on a phone).
PAGE_HEADER_SLOTS = ("eyebrow", "title", "lead", "details", "actions")
PAGE_HEADER_ARGUMENTS = ("eyebrow", "title", "lead", "avatar")


class PageHeaderNode(template.Node):
    def __init__(self, arguments: dict, slots: dict):
        self.arguments = arguments
        self.slots = slots
        # Blocks inside a slot (base_form.html's h1, eyebrow, lead) must stay visible to
        # {% extends %}, which looks for them through child_nodelists.
        for name, nodelist in slots.items():
            setattr(self, f"{name}_nodelist", nodelist)
        self.child_nodelists = tuple(f"{name}_nodelist" for name in slots)

    def render(self, context):
        parts = dict.fromkeys(PAGE_HEADER_SLOTS, "") | {"avatar": None}
        parts |= {name: value.resolve(context) for name, value in self.arguments.items()}
        # A slot is markup rendered here, its variables escaped as on the page itself.
        parts |= {name: mark_safe(nodelist.render(context).strip()) for name, nodelist in self.slots.items()}  # noqa: S308
        partial = context.template.engine.get_template("_partials/page_header.html")
        return partial.render(context.new(parts))


@register.tag
def page_header(parser, token):
    """The header every page opens with: eyebrow, title, lead, then what is specific to
    the page, and its action buttons. Plain values as arguments, markup in slots:

        {% page_header eyebrow=chapter.name title=_("Candidates") lead=_("Applications…") %}
          {% slot actions %}<a class="btn btn-primary" href="…">…</a>{% endslot %}
        {% endpage_header %}

    Arguments: eyebrow, title, lead, avatar (a person: their initials beside the title).
    Slots: eyebrow, title, lead, details (under the lead: facts, badges, notes), actions.
    An empty part is left out, the actions' box with it.
    """
    bits = token.split_contents()
    arguments = token_kwargs(bits[1:], parser)
    if len(bits) - 1 != len(arguments):
        raise template.TemplateSyntaxError("page_header takes name=value arguments only.")
    if unknown := sorted(set(arguments) - set(PAGE_HEADER_ARGUMENTS)):
        raise template.TemplateSyntaxError(
            f"page_header has no argument {unknown}; it takes {PAGE_HEADER_ARGUMENTS}."
        )
    slots = {}
    while True:
        between = parser.parse(("slot", "endpage_header"))
        if any(not isinstance(node, TextNode) or node.s.strip() for node in between):
            raise template.TemplateSyntaxError("Inside page_header, write everything in a {% slot %}.")
        tag = parser.next_token()
        if tag.contents == "endpage_header":
            break
        name = tag.contents.split()[1] if len(tag.contents.split()) == 2 else ""
        if name not in PAGE_HEADER_SLOTS or name in slots or name in arguments:
            raise template.TemplateSyntaxError(
                f"page_header: {tag.contents!r} is not one of the slots {PAGE_HEADER_SLOTS}, or is given twice."
            )
        slots[name] = parser.parse(("endslot",))
        parser.delete_first_token()
    if "title" not in arguments and "title" not in slots:
        raise template.TemplateSyntaxError("page_header needs a title.")
    return PageHeaderNode(arguments, slots)
