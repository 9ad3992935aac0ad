"""Run a long job in the background and report its progress.

By default the job runs in a thread of the web process (a district's single server needs no
queue); with SHANGLIANG_TASKS_EAGER it runs at once in the caller, which tests use. Progress
lives in the job row, written outside the job's own transaction so a page can poll it.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.core.models import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)

_runners = {}


def register(kind: str):
    def decorator(func):
        _runners[kind] = func
        return func

    return decorator


def job_progress(job: BackgroundJob, *, done: int, total: int | None = None) -> None:
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    BackgroundJob.objects.filter(pk=job.pk).update(**fields)
    job.done = done
    if total is not None:
        job.total = total


def _discard_upload(job: BackgroundJob) -> None:
    """Delete the job's input file; an import workbook holds members' mobiles and has no use once read.

    The row keeps its result; a file that cannot be removed is logged, never fails the job.
    """
    if not job.upload:
        return
    try:
        job.upload.delete(save=False)
    except OSError:
        logger.exception("could not delete the upload of background job %s", job.pk)
        return
    BackgroundJob.objects.filter(pk=job.pk).update(upload="")


# A job still holding its file after this long died with its process (a restart mid-import).
STALE_AFTER = timedelta(hours=6)


def stale_uploads_discard(now=None) -> int:
    """Delete the input files of jobs that never finished, marking them failed; returns how many.

    A job's thread ends with its web process, so a restart in the middle of an import would leave the
    workbook (members' mobiles) on disk for good. The scheduler runs this with the reminders.
    """
    cutoff = (now or timezone.now()) - STALE_AFTER
    count = 0
    for job in BackgroundJob.objects.filter(created_at__lt=cutoff).exclude(upload=""):
        _discard_upload(job)
        BackgroundJob.objects.filter(pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
            status=JobStatus.FAILED,
            result={"message": str(_("导入中断（服务重启），请重新上传文件。")), "errors": []},
            finished_at=timezone.now(),
        )
        count += 1
    return count


def _run(job_id: int) -> None:
    job = BackgroundJob.objects.get(pk=job_id)
    BackgroundJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        result = _runners[job.kind](job)
    except Exception as exc:  # the job failed; record it for the page instead of losing it
        logger.exception("background job %s failed", job_id)
        errors = getattr(exc, "errors", None)
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            result={"message": getattr(exc, "message", str(exc)), "errors": errors or []},
            finished_at=timezone.now(),
        )
        return
    finally:
        _discard_upload(job)
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCEEDED, result=result or {}, finished_at=timezone.now()
    )


def _run_in_thread(job_id: int) -> None:
    try:
        _run(job_id)
    finally:
        close_old_connections()


def job_start(*, kind: str, actor, payload: dict | None = None, upload=None) -> BackgroundJob:
    """Create a job and start it once the creating transaction commits."""
    if kind not in _runners:
        raise KeyError(kind)
    job = BackgroundJob.objects.create(kind=kind, created_by=actor, payload=payload or {}, upload=upload)
    return job_launch(job)


def job_launch(job: BackgroundJob) -> BackgroundJob:
    """Start a job created earlier and left queued (an import whose file is previewed before it runs)."""
    if job.kind not in _runners:
        raise KeyError(job.kind)
    if settings.SHANGLIANG_TASKS_EAGER:
        _run(job.pk)
    else:
        transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True).start())
    return job
