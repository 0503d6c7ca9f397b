"""Web plumbing every app uses — `mixins` (the object a URL names, from the user's scope),
`actions` (a service's refusal on the form or as a message, the POST-action helper) — and
the pages of no single app (`pages`). The form helper is plato/forms.py."""
