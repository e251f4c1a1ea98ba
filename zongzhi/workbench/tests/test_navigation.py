"""Menus, buttons and links show only what the role may use, and every one of them opens."""

import re

import pytest
from django.urls import reverse

from zongzhi.accounts.models import Role
from zongzhi.testing.factories import UserFactory
from zongzhi.workbench import permissions

HOME = reverse("workbench:home")
QUEUE = reverse("workbench:queue")
REGISTER = reverse("intake:window_register")
ADMIN = reverse("admin:index")
MAINNAV = re.compile(r'<nav class="mainnav"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def menu_links(html: str) -> list[str]:
    return HREF.findall(MAINNAV.search(html).group(1))


def page_head_links(html: str) -> list[str]:
    head = re.search(r'<div class="page-head">(.*?)</div>', html, re.S).group(1)
    return HREF.findall(head)


def account(world, role: Role, **extra):
    return UserFactory(username=f"nav-{role.value}", role=role, place=world.county, **extra)


ROLE_LINKS = {
    Role.WINDOW_CLERK: {HOME, QUEUE, REGISTER},
    Role.GRID_WORKER: {HOME, QUEUE, REGISTER},
    Role.MEDIATOR: {HOME, QUEUE, REGISTER},
    Role.CENTRE_LEADER: {HOME, QUEUE, REGISTER},
    Role.ADMINISTRATOR: {HOME, QUEUE, REGISTER},
    Role.DEPARTMENT_HANDLER: {HOME, QUEUE},
    Role.ANALYST: {HOME, QUEUE},
    Role.CITIZEN: {HOME, QUEUE},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_menu_shows_what_it_may_use_and_every_link_opens(world, client, role):
    client.force_login(account(world, role))
    html = client.get(HOME).content.decode()
    links = menu_links(html)
    assert set(links) == ROLE_LINKS[role]
    for url in links:
        assert client.get(url).status_code == 200, url
    # The queue's buttons follow the same rule.
    buttons = page_head_links(client.get(QUEUE).content.decode())
    assert (REGISTER in buttons) == (REGISTER in ROLE_LINKS[role])
    for url in buttons:
        assert client.get(url).status_code == 200, url


def test_pages_left_out_of_the_menu_are_refused(world, client):
    client.force_login(world.east.handler)
    html = client.get(QUEUE).content.decode()
    assert REGISTER not in html and "统一登记" not in html
    response = client.get(REGISTER)
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_staff_accounts_get_the_admin_link_and_it_opens(world, client):
    user = account(world, Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(user)
    links = menu_links(client.get(HOME).content.decode())
    assert ADMIN in links
    assert client.get(ADMIN).status_code == 200


def test_an_account_without_a_node_is_not_offered_registration(world, client):
    clerk = UserFactory(username="clerk-nowhere", role=Role.WINDOW_CLERK, place=None)
    assert not permissions.can_register(clerk)
    client.force_login(clerk)
    assert REGISTER not in menu_links(client.get(HOME).content.decode())
    response = client.get(REGISTER)
    assert response.status_code == 403
    assert "尚未分配所属节点" in response.content.decode()


def test_current_page_is_marked(world, client):
    client.force_login(world.east.clerk)
    html = client.get(QUEUE).content.decode()
    assert f'<a href="{QUEUE}" aria-current="page">纠纷台账</a>' in html
    assert f'<a href="{HOME}" aria-current="page">' not in html
