"""`manage.py seed_demo` refuses to run in production: it creates a superuser whose password is
published. (Apart from test_seed_demo.py, whose module-wide demo would already be there.)"""

import pytest
from django.core.management import CommandError, call_command

from members.models import User


def test_seed_demo_refuses_to_run_in_production(settings, db):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="Refusing to load demo data in production"):
        call_command("seed_demo")

    assert not User.objects.filter(email="admin@plato.test").exists()
