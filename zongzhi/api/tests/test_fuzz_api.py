"""Fuzz: schemathesis over the OpenAPI schema of /api/v1, run through the Django WSGI app.

Every operation gets generated (and deliberately malformed) parameters and bodies, with a
staff token for the staff endpoints; the only property checked is that nothing answers 5xx.
Fixed seed (derandomize) and a bounded example count, so CI runs the same cases each time.
Each call commits on its own (transaction=True): on PostgreSQL a failed statement inside one
test transaction would make every later call fail too, hiding which input was at fault.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from zongzhi.api.models import ApiToken

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]
MAX_EXAMPLES = 100


# The schema is read once, at collection, from the app itself (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.PUBLIC_RATE_LIMITS = False


@pytest.fixture(autouse=True)
def _keep_connection():
    """Calls go through the real WSGI handler, whose request signals would close the
    database connection after each call; Django's test client disconnects them too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_headers(world):
    _, raw = ApiToken.issue(world.county_leader, "fuzz")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_5xx(case, staff_headers):
    response = case.call(headers=staff_headers)
    assert response.status_code < 500, case.as_curl_command()
