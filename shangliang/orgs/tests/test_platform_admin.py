"""The admin's platform form keeps the rules of the staff page (``platform_details.check_details``): what the
page refuses, the admin refuses too, with the same message next to the field, and nothing is saved."""

import datetime

import pytest
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from shangliang.orgs.models import Platform
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_platform, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    client.force_login(make_user("platform-root", is_superuser=True, is_staff=True))
    return client


def _value(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _add(data, form):
    for bound in form:
        value = bound.value()
        if isinstance(value, FieldFile) or value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [_value(v) for v in value]
        else:
            data[bound.html_name] = _value(value)


def change_form_data(client, platform) -> dict:
    """What the admin's change page would post back unchanged: the platform's fields and its inlines."""
    response = client.get(reverse("admin:orgs_platform_change", args=[platform.pk]))
    assert response.status_code == 200
    data = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        _add(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _add(data, form)
    return data


def test_the_admin_refuses_a_shared_village_outside_the_township_with_the_pages_message(root, district):
    room = make_platform(district["a"], name="甲镇协商议事室", shared_regions=[district["a1"]])
    url = reverse("admin:orgs_platform_change", args=[room.pk])
    data = change_form_data(root, room)
    assert data["shared_regions"] == [district["a1"].pk]

    response = root.post(url, {**data, "shared_regions": [district["a1"].pk, district["b1"].pk], "address": "新地址"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "“乙一村”不是本乡镇（街道）下的村（社区），不能共用。" in errors["shared_regions"]
    room.refresh_from_db()
    assert list(room.shared_regions.all()) == [district["a1"]] and room.address == ""
    assert room.history.count() == 1

    # The same form, within the rules, is saved.
    assert root.post(url, {**data, "shared_regions": [district["a2"].pk]}).status_code == 302
    assert list(Platform.objects.get(pk=room.pk).shared_regions.all()) == [district["a2"]]


def test_the_admin_refuses_a_keeper_from_another_township_and_a_phone_no_one_can_dial(root, district):
    room = make_platform(district["a1"], name="甲一村协商议事室")
    outsider = grant(make_user(full_name="乙镇站长"), Role.STATION_HEAD, region=district["b"])
    url = reverse("admin:orgs_platform_change", args=[room.pk])
    data = change_form_data(root, room)

    response = root.post(url, {**data, "keeper": outsider.pk})
    assert response.status_code == 200
    assert "负责人须是在本平台或其所在区划担任职务的工作人员。" in response.context["adminform"].form.errors["keeper"]
    response = root.post(url, {**data, "contact_phone": "请打村委会"})
    assert "请填写可拨打的电话号码" in str(response.context["adminform"].form.errors["contact_phone"])
    room.refresh_from_db()
    assert room.keeper is None and room.contact_phone == ""

    keeper = grant(make_user(full_name="甲镇站长"), Role.STATION_HEAD, region=district["a"])
    assert root.post(url, {**data, "keeper": keeper.pk, "contact_phone": "0571-88888888"}).status_code == 302
    room.refresh_from_db()
    assert (room.keeper, room.keeper_name) == (keeper, "甲镇站长")


def test_the_admin_refuses_a_new_village_room_shared_with_villages(root, district):
    response = root.post(
        reverse("admin:orgs_platform_add"),
        {
            "name": "甲一村议事室",
            "kind": "village_room",
            "brand": "有事好商量",
            "region": district["a1"].pk,
            "shared_regions": [district["a2"].pk],
            "checks-TOTAL_FORMS": "0",
            "checks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert (
        "只有设在乡镇（街道）的议事室可以与村（社区）共用。"
        in response.context["adminform"].form.errors["shared_regions"]
    )
    assert not Platform.objects.filter(name="甲一村议事室").exists()
