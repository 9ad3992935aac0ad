import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from shangliang.core.errors import TransitionNotAllowed
from shangliang.core.models import BackgroundJob, JobStatus
from shangliang.core.phones import mask_mobile, normalize_mobile, validate_mobile
from shangliang.core.transitions import transition

JOB_MOVES = {
    JobStatus.QUEUED: {JobStatus.RUNNING, JobStatus.FAILED},
    JobStatus.RUNNING: {JobStatus.SUCCEEDED, JobStatus.FAILED},
}


def test_mask_mobile_hides_the_middle_four_digits():
    assert mask_mobile("13800000000") == "138****0000"
    assert mask_mobile("+86 139-1234-5678") == "139****5678"
    assert mask_mobile("") == ""


def test_normalize_and_validate_mobile():
    assert normalize_mobile("+86 138 0000 0000") == "13800000000"
    validate_mobile("13912345678")
    for bad in ["12345", "23800000000", "1380000000a", ""]:
        with pytest.raises(ValidationError):
            validate_mobile(bad)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start,target",
    [(s, t) for s in JobStatus.values for t in JobStatus.values],
)
def test_transition_allows_exactly_the_moves_in_the_table(start, target):
    user = get_user_model().objects.create_user("job-owner")
    job = BackgroundJob.objects.create(kind="demo", created_by=user, status=start)
    if target in JOB_MOVES.get(start, ()):
        transition(job, to=target, moves=JOB_MOVES, actor=user, reason="")
        job.refresh_from_db()
        assert job.status == target
    else:
        with pytest.raises(TransitionNotAllowed) as excinfo:
            transition(job, to=target, moves=JOB_MOVES, actor=user, reason="")
        assert "不能变为" in excinfo.value.message
        job.refresh_from_db()
        assert job.status == start
