"""Turn a form's current values into the POST data a browser would send back."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django import forms


def post_data(form: forms.BaseForm, **overrides) -> dict:
    """What submitting the form unchanged sends, with `overrides` typed on top."""
    data = {}
    for name in form.fields:
        bound_field = form[name]
        value = bound_field.value()
        if isinstance(bound_field.field, forms.MultipleChoiceField):
            data[name] = [str(item) for item in value or []]
        elif value is None:
            data[name] = ""
        else:
            formatted = bound_field.field.widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    data.update(overrides)
    return data


class _InputCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.values.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "option" and "selected" in attributes and self._select:
            self.values.setdefault(self._select, []).append(attributes.get("value") or "")
        if tag == "select":
            self._select = name

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    _select: str | None = None


def rendered_values(html: str) -> dict[str, list[str]]:
    """The values a page's form fields show (inputs, checked boxes, selected options, textareas)."""
    collector = _InputCollector()
    collector.feed(html)
    return collector.values


# --- Every form of a page, as a browser sees it ---------------------------------------------


@dataclass
class HtmlField:
    """One name of a form: its kind, what it sends unchanged, and what it could send."""

    name: str
    kind: str  # the input's type ("text", "hidden", "date"…), "select", "textarea" or "button"
    values: list[str] = field(default_factory=list)  # sent when the form is submitted unchanged
    options: list[str] = field(default_factory=list)  # a select's options, radios', checkboxes', buttons'
    multiple: bool = False
    required: bool = False
    unreachable: bool = False  # tabindex="-1": a honeypot people never fill in

    @property
    def is_choice(self) -> bool:
        return self.kind in ("select", "radio", "checkbox", "button")


@dataclass
class HtmlForm:
    method: str  # "get" or "post"
    action: str  # as written in the page ("" for the page itself)
    fields: dict[str, HtmlField] = field(default_factory=dict)
    id: str | None = None

    def data(self) -> dict[str, list[str]]:
        """What submitting the form unchanged sends (the first submit button's name, if it has one)."""
        sent = {}
        for name, html_field in self.fields.items():
            if html_field.kind == "button":
                if html_field.options:
                    sent[name] = html_field.options[:1]
            elif html_field.values:
                sent[name] = list(html_field.values)
        return sent


class _FormCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._current: HtmlForm | None = None
        self._outside: list[tuple[str, dict]] = []  # (form id, attrs) of fields with form="…"
        self._select: HtmlField | None = None
        self._option: dict | None = None  # the open <option>'s attributes and text
        self._textarea: HtmlField | None = None

    def _form_for(self, attributes: dict) -> HtmlForm | None:
        owner = attributes.get("form")
        if owner:
            return next((form for form in self.forms if form.id == owner), None)
        return self._current

    def _field(self, form: HtmlForm, name: str, kind: str, attributes: dict) -> HtmlField:
        html_field = form.fields.get(name)
        if html_field is None:
            html_field = form.fields[name] = HtmlField(name, kind)
        html_field.required = html_field.required or "required" in attributes
        html_field.unreachable = attributes.get("tabindex") == "-1"
        html_field.multiple = html_field.multiple or "multiple" in attributes
        return html_field

    def handle_starttag(self, tag, attrs):
        attributes = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self._current = HtmlForm(
                method=(attributes.get("method") or "get").lower(),
                action=attributes.get("action", ""),
                id=attributes.get("id"),
            )
            self.forms.append(self._current)
            return
        name = attributes.get("name")
        if tag in ("input", "button", "select", "textarea") and name:
            if attributes.get("form") and self._form_for(attributes) is None:
                self._outside.append((tag, attributes))  # its form comes later in the page
                return
            self._add(tag, attributes)
        elif tag == "option" and self._select is not None:
            self._option = {"attributes": attributes, "text": ""}

    def _add(self, tag: str, attributes: dict) -> None:
        form = self._form_for(attributes)
        if form is None or "disabled" in attributes:
            return
        name = attributes["name"]
        value = attributes.get("value", "")
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "image", "reset"):
                kind = "button" if kind == "submit" else kind
                if kind != "button":
                    return
            html_field = self._field(form, name, kind, attributes)
            if kind in ("checkbox", "radio", "button"):
                html_field.options.append(value or ("on" if kind == "checkbox" else ""))
                if kind == "checkbox" and len(html_field.options) > 1:
                    html_field.multiple = True
                if "checked" in attributes:
                    html_field.values.append(html_field.options[-1])
            elif kind != "file":
                html_field.values.append(value)
        elif tag == "button":
            if attributes.get("type", "submit").lower() == "submit":
                self._field(form, name, "button", attributes).options.append(value)
        elif tag == "select":
            self._select = self._field(form, name, "select", attributes)
        elif tag == "textarea":
            self._textarea = self._field(form, name, "textarea", attributes)
            self._textarea.values.append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._end_option()
            select = self._select
            if select is not None and not select.values and select.options and not select.multiple:
                select.values.append(select.options[0])  # a browser sends the first option
            self._select = None
        elif tag == "option":
            self._end_option()
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.values[-1].startswith("\n"):
                # A browser drops the newline Django writes after <textarea>.
                self._textarea.values[-1] = self._textarea.values[-1][1:]
            self._textarea = None

    def _end_option(self):
        if self._option is None or self._select is None:
            return
        attributes, text = self._option["attributes"], self._option["text"]
        value = attributes.get("value", text.strip())
        self._select.options.append(value)
        if "selected" in attributes:
            self._select.values.append(value)
        self._option = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.values[-1] += data
        elif self._option is not None:
            self._option["text"] += data

    def close(self):
        super().close()
        for tag, attributes in self._outside:
            self._add(tag, attributes)


def page_forms(html: str) -> list[HtmlForm]:
    """Every <form> of a page with its fields: inputs, selects with their options,
    textareas and named submit buttons (fields outside it with form="its id" included)."""
    collector = _FormCollector()
    collector.feed(html)
    collector.close()
    return collector.forms
