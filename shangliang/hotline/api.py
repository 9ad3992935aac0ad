"""The hotline system's side: it pushes records, and reads (or is sent) what became of them.

``POST /hotline/api/records/`` with ``Authorization: Bearer <the source's token>`` and a JSON body
``{"records": [{"external_id": …, "received_at": "2025-09-26 10:30", "text": …, …}]}`` (the field names
of ``states.FIELDS``, at most ``MAX_ITEMS`` a request) imports them as a file would be: the same
工单编号 again updates, each bad item is answered with its index, field and reason, good ones are written.

``GET /hotline/api/records/<工单编号>/result/`` answers what became of the record: the hot issue it joined,
the submission and topic it became, the consultation, its outcome, with the public result page. The same
answer is POSTed to the source's ``callback_url`` when staff send it back (``send_result``).
"""

import json
import logging
import urllib.request

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from shangliang.core.links import absolute_url
from shangliang.core.ratelimits import hit
from shangliang.core.records import save_record
from shangliang.hotline import imports, services
from shangliang.hotline.models import Record, Source
from shangliang.hotline.states import FIELDS

logger = logging.getLogger(__name__)
MAX_ITEMS = 500
MAX_BODY = 5 * 1024 * 1024
CALLBACK_TIMEOUT = 10


def _source(request) -> Source | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return services.source_for_token(token.strip()) if scheme.lower() == "bearer" else None


def _caller(request) -> Source | JsonResponse:
    """The source whose token the request carries, or the refusal: 429 past the address's rate of calls
    (``hotline_api``) or of wrong tokens (``hotline_token``: guessing a token gets nowhere), else 401."""
    if hit(request, "hotline_api") or hit(request, "hotline_token", increment=False):
        return _refused("too many requests", 429)
    source = _source(request)
    if source is None:
        hit(request, "hotline_token")
        return _refused("invalid token", 401)
    return source


def _refused(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def push(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    source = _caller(request)
    if isinstance(source, JsonResponse):
        return source
    if len(request.body) > MAX_BODY:
        return _refused("body too large", 413)
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _refused("invalid JSON", 400)
    items = body.get("records") if isinstance(body, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items) or len(items) > MAX_ITEMS:
        return _refused(f'expected {{"records": [objects]}} with at most {MAX_ITEMS} items', 400)
    mapping = {name: name for name in FIELDS}
    outcome = imports.Outcome()
    batch, seen = [], set()
    for index, item in enumerate(items):
        cells = {name: imports._cell_text(item.get(name)).replace("\x00", "") for name in FIELDS}
        cells["_original"] = {k: imports._cell_text(v) for k, v in item.items() if isinstance(k, str)}
        outcome.total += 1
        parsed = imports.parse_row(index, cells, mapping, outcome)
        if parsed is None:
            continue
        if parsed.fields["external_id"] in seen:
            outcome.refuse(index, "external_id", "duplicate external_id in this request")
            continue
        seen.add(parsed.fields["external_id"])
        batch.append(parsed)
    with transaction.atomic():
        created = services.write_batch(source, batch, outcome, None)
    result = outcome.as_result()
    result["issues"] = len(services.group_new(source, created))
    result["errors"] = [{"index": e["row"], "field": e["column"], "message": e["message"]} for e in result["errors"]]
    return JsonResponse(result, json_dumps_params={"ensure_ascii": False})


def result_of(record: Record) -> dict:
    """What became of the record, in the words the resident's tracking page uses (no personal data)."""
    from shangliang.topics.tracking import thread_of

    answer = {"external_id": record.external_id, "status": "received", "status_text": "已接收，尚未形成热点诉求"}
    issue = record.issue
    if issue is None:
        return answer
    answer.update(status="hot_issue", status_text=f"已归入热点诉求：{issue.title}", hot_issue=issue.title)
    if issue.merged_into_id:
        issue = issue.merged_into
    if issue.submission is None:
        answer["hot_issue_status"] = issue.get_status_display()
        return answer
    thread = thread_of(issue.submission, AnonymousUser())
    answer.update(
        status="topic",
        status_text=thread.status_text,
        tracking_code=issue.submission.tracking_code,
        stages=[
            {"title": str(s.title), "state": s.state, "label": str(s.label), "at": s.at.isoformat() if s.at else None}
            for s in thread.stages
        ],
    )
    if thread.later and thread.later.result_url:
        answer["result_url"] = absolute_url(thread.later.result_url)
    return answer


def result(request, external_id: str):
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    source = _caller(request)
    if isinstance(source, JsonResponse):
        return source
    record = (
        Record.objects.filter(source=source, external_id=external_id[:64])
        .select_related("issue__submission", "issue__merged_into__submission")
        .first()
    )
    if record is None:
        return _refused("not found", 404)
    return JsonResponse(result_of(record), json_dumps_params={"ensure_ascii": False})


def send_result(*, actor, record: Record) -> bool:
    """POST the record's result to its source's callback address; True when the other side took it."""
    url = record.source.callback_url
    if not url:
        return False
    data = json.dumps(result_of(record), ensure_ascii=False).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=CALLBACK_TIMEOUT) as response:
            ok = 200 <= response.status < 300
    except OSError:
        logger.warning("result of hotline record %s not taken by %s", record.pk, url)
        return False
    if ok:
        record.result_sent_at = timezone.now()
        save_record(record, actor=actor, reason="hotline_record.result_sent")
    return ok
