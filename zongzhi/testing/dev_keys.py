"""A pytest plugin (loaded by `-p` in pyproject.toml) that runs the tests with the
development keys of var/dev-keys.json: settings.py refuses to start without keys when DEBUG
is off, and pytest-django imports the settings before any conftest.py is read.

Set in os.environ, so that servers and commands the tests start inherit it too."""

import os

os.environ.setdefault("ZONGZHI_DEV_KEYS", "1")
