"""Security headers: CSP without inline script, Permissions-Policy, no-store on personal
data, the trusted proxy's client address, and a clean deployment check."""

import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from zongzhi.api.models import ApiToken
from zongzhi.cases import services
from zongzhi.intake.limits import client_ip
from zongzhi.testing.factories import make_case
from zongzhi.tests.test_keys import _zongzhi, production_env

TEMPLATE_ROOTS = [Path(__file__).resolve().parents[1]]
NO_STORE = "no-store"


def inline_scripts(html: str) -> list[str]:
    """<script> elements that are neither external files nor JSON data."""
    return [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and 'type="application/json"' not in tag
    ]


def test_no_template_has_inline_script_style_or_handlers():
    for template in Path(TEMPLATE_ROOTS[0]).rglob("templates/**/*.html"):
        text = template.read_text()
        assert not inline_scripts(text), template
        assert not re.search(r"\son[a-z]+=", text), template
        assert "<style" not in text and " style=" not in text, template


def test_pages_carry_a_csp_without_inline_script(world, client):
    client.force_login(world.east.clerk)
    response = client.get(reverse("workbench:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    html = response.content.decode()
    assert not inline_scripts(html)
    assert 'id="colour-chart-data" type="application/json"' in html
    assert "/static/workbench/home.js" in html
    assert "includeIndicatorStyles" in html  # htmx injects no <style> of its own
    report = client.get(reverse("intake:report"))
    assert "Content-Security-Policy" in report and not inline_scripts(report.content.decode())


def test_permissions_policy_turns_features_off_but_location_for_citizens(world, client):
    staff = client.get(reverse("accounts:login"))["Permissions-Policy"]
    assert "camera=()" in staff and "microphone=()" in staff and "geolocation=()" in staff
    citizen = client.get(reverse("intake:report"))["Permissions-Policy"]
    assert "camera=()" in citizen and "geolocation=(self)" in citizen


def test_personal_data_is_never_stored_by_caches(world, client):
    east_case = make_case(world.east.village, world.east.clerk)
    clerk = world.east.clerk
    party = east_case.parties.first()
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    services.add_attachment(east_case, pdf, actor=clerk)
    attachment = east_case.attachments.get()
    client.force_login(clerk)
    urls = [
        reverse("workbench:home"),
        reverse("workbench:queue"),
        reverse("workbench:case_detail", args=[east_case.pk]),
        reverse("workbench:attachment_download", args=[east_case.pk, attachment.pk]),
        reverse("intake:qr_png", args=[world.east.village.code]),  # public max-age replaced
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert NO_STORE in response["Cache-Control"], url
    reveal = client.post(reverse("workbench:case_reveal", args=[east_case.pk, party.pk]))
    assert NO_STORE in reveal["Cache-Control"]
    _, raw = ApiToken.issue(clerk, "t")
    client.logout()
    api = client.get(f"/api/v1/cases/{east_case.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200 and NO_STORE in api["Cache-Control"]
    assert NO_STORE in client.get(reverse("intake:lookup"))["Cache-Control"]
    # Public, personal-data-free files stay cacheable for anonymous visitors.
    qr = client.get(reverse("intake:qr_png", args=[world.east.village.code]))
    assert "public" in qr["Cache-Control"] and NO_STORE not in qr["Cache-Control"]


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_client_address_ignores_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_client_address_behind_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2", "10.1.0.0/16"]
    # The proxy appended the peer it saw; what the client wrote on the left is ignored.
    assert client_ip(request_from("10.0.0.2", "6.6.6.6, 198.51.100.7")) == "198.51.100.7"
    # Two trusted hops (a load balancer in front of nginx): skip both.
    chain = "6.6.6.6, 198.51.100.7, 10.1.3.4"
    assert client_ip(request_from("10.0.0.2", chain)) == "198.51.100.7"
    # Garbage stops the walk; only addresses vouched for by a proxy count.
    assert client_ip(request_from("10.0.0.2", "198.51.100.7, junk, 10.1.3.4")) == "10.1.3.4"
    # A header from an address that is not a trusted proxy is not believed.
    assert client_ip(request_from("198.51.100.50", "1.2.3.4")) == "198.51.100.50"
    # No header at all: the proxy itself.
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_bad_trusted_proxy_setting_stops_the_start():
    env = {**production_env(), "ZONGZHI_TRUSTED_PROXIES": "10.0.0.1,not-an-ip"}
    result = _zongzhi("check", env=env)
    assert result.returncode != 0 and "ZONGZHI_TRUSTED_PROXIES" in result.stderr


def test_deployment_check_is_clean_with_production_settings():
    env = {**production_env(), "ZONGZHI_HTTPS": "1", "ZONGZHI_ALLOWED_HOSTS": "zz.example"}
    result = _zongzhi("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
