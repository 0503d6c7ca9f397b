from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's data and `manage.py seed_demo`: at the top of the house, it may use every
    app and no app uses it (only the tests of the demo). No models: nothing of its own to show."""

    name = "demo"
