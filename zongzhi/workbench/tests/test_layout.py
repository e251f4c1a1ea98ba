from django.urls import reverse

from zongzhi.accounts.models import Role
from zongzhi.testing.factories import UserFactory

HOME = reverse("workbench:home")


def test_base_layout_is_chinese_with_nav_and_post_logout(world, login):
    html = login(world.east.clerk).get(HOME).content.decode()
    assert '<html lang="zh-CN">' in html
    assert "综治中心信息平台" in html
    for label in ("工作台", "纠纷台账", "统一登记", "退出"):
        assert label in html
    assert reverse("workbench:queue") in html
    assert reverse("intake:window_register") in html
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in html
    # User, role and area in the top bar.
    assert str(world.east.clerk) in html
    assert "综合受理窗口" in html
    assert "红塔区玉兴街道" in html
    assert "管理后台" not in html
    assert "/static/zongzhi/app.css" in html


def test_admin_link_for_staff_accounts_only(world, login):
    # The admin site lets in staff accounts only (is_staff), whatever the role.
    admin = UserFactory(username="admin-x", role=Role.ADMINISTRATOR, place=world.county)
    assert "管理后台" not in login(admin).get(HOME).content.decode()
    staff = UserFactory(username="staff-x", role=Role.CENTRE_LEADER, place=world.county)
    staff.is_staff = True
    staff.save()
    assert "管理后台" in login(staff).get(HOME).content.decode()


def test_stylesheet_names_the_cjk_font():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "static" / "zongzhi" / "app.css").read_text()
    assert '"Noto Sans CJK SC"' in css
    assert "sans-serif" in css


def test_login_page_is_chinese_and_errors_are_chinese(client, world):
    url = reverse("accounts:login")
    page = client.get(url).content.decode()
    assert '<html lang="zh-CN">' in page
    assert "用户名" in page and "密码" in page and "登录" in page
    response = client.post(url, {"username": world.east.clerk.username, "password": "wrong"})
    assert response.status_code == 200
    assert "正确的用户名和密码" in response.content.decode()


def test_login_then_logout_by_post(client, world):
    response = client.post(
        reverse("accounts:login"),
        {"username": world.east.clerk.username, "password": "zongzhi-test-pw"},
    )
    assert response.status_code == 302
    assert response.url == HOME
    assert client.get(HOME).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(HOME).status_code == 302
