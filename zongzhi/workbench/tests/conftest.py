import pytest

from zongzhi.testing.factories import make_case


@pytest.fixture
def east_case(world):
    """A freshly reported case in the east township, registered by its clerk."""
    return make_case(world.east.village, world.east.clerk)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
