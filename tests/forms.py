"""Turn a form's current values into the POST data a browser would send back."""

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
