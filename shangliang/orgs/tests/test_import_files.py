"""The uploaded import workbook (members' mobiles) leaves the disk when its job ends; the job keeps its result."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from shangliang.core.jobs import stale_uploads_discard
from shangliang.core.models import BackgroundJob, JobStatus
from shangliang.orgs.models import Member
from shangliang.orgs.states import Role
from shangliang.orgs.tests import factories

pytestmark = pytest.mark.django_db

MEMBER_HEADERS = ["姓名*", "性别", "委员层级*", "界别*", "专长", "工作单位及职务", "手机号", "居住地", "联系站点"]


def members_file(rows) -> SimpleUploadedFile:
    book = Workbook()
    book.active.append(MEMBER_HEADERS)
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("委员名单.xlsx", out.getvalue(), content_type="application/octet-stream")


@pytest.fixture
def admin(district):
    user = factories.make_user("admin", full_name="王管理")
    return factories.grant(user, Role.ADMINISTRATOR, region=district["district"])


def files_under_jobs() -> list[Path]:
    return [path for path in (Path(settings.MEDIA_ROOT) / "jobs").rglob("*") if path.is_file()]


def import_members(client, admin, rows) -> BackgroundJob:
    client.force_login(admin)
    response = client.post(reverse("orgs:import_upload", args=["members"]), {"file": members_file(rows)})
    assert response.status_code == 302
    return BackgroundJob.objects.latest("pk")


def test_the_workbook_is_deleted_after_a_successful_import_and_the_job_keeps_its_result(client, admin):
    job = import_members(client, admin, [["好委员", "男", "市", "经济界", None, None, "13800000000", None, None]])
    assert job.status == JobStatus.SUCCEEDED and job.result == {"created": 1}
    assert Member.objects.get().mobile == "13800000000"
    assert not job.upload
    assert files_under_jobs() == []
    page = client.get(reverse("orgs:import_job", args=[job.pk])).content.decode()
    assert "已导入1条记录" in page


def test_the_workbook_is_deleted_after_a_refused_import_and_the_job_keeps_its_problems(client, admin):
    job = import_members(client, admin, [["坏号码", "男", "市", "经济界", None, None, "12345", None, None]])
    assert job.status == JobStatus.FAILED
    assert {(e["row"], e["column"]) for e in job.result["errors"]} == {(2, "手机号")}
    assert not job.upload
    assert files_under_jobs() == []


def test_a_workbook_left_by_a_job_that_died_with_its_process_is_swept(admin):
    interrupted = BackgroundJob.objects.create(
        kind="import_members", created_by=admin, upload=members_file([]), status=JobStatus.RUNNING
    )
    fresh = BackgroundJob.objects.create(kind="import_members", created_by=admin, upload=members_file([]))
    BackgroundJob.objects.filter(pk=interrupted.pk).update(created_at=timezone.now() - timedelta(hours=7))
    assert len(files_under_jobs()) == 2
    assert stale_uploads_discard() == 1
    assert len(files_under_jobs()) == 1
    interrupted.refresh_from_db()
    assert interrupted.status == JobStatus.FAILED and not interrupted.upload
    fresh.refresh_from_db()
    assert fresh.upload and fresh.status == JobStatus.QUEUED
