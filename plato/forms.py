"""What every app's forms share: the crispy helper."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout


def form_helper(layout: Layout | None = None, *, form_tag: bool = False) -> FormHelper:
    """A crispy helper for a form's fields, laid out by `layout` when given.

    No `<form>` tag by default: the page's template writes it, with the CSRF token, the
    buttons and what the page adds around the fields (a cancel link, a `next`)."""
    helper = FormHelper()
    helper.form_tag = form_tag
    if layout is not None:
        helper.layout = layout
    return helper
