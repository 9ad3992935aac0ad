"""Malformed input answers 4xx, never 5xx (penetration test findings 9 and 14).

Every URL pattern is taken from the resolver, so a new URL is fuzzed without touching this file:

* each path parameter in turn gets hostile values (a 30-digit number, NUL bytes, a long string, …),
  the other parameters a harmless ``1``; a view that refuses GET with 405 is tried with POST;
* each page that reads the query string gets hostile values in every parameter it reads. The names
  are recorded while the page answers a plain request, so nothing is listed by hand except how to
  reach a page with path parameters (``_samples``); a test fails when such a page has no sample;
* each admin list gets hostile values in its search and filters, the autocomplete in its search.

Both as an anonymous visitor and as a superuser, on the dashboard tests' small district with
consultations, assignments, reports, ratings and a typical case. The suite runs on SQLite (integers
beyond 2⁶³ raise OverflowError) and PostgreSQL (NUL bytes in strings raise DataError).
"""

import datetime
import inspect
import logging
import re
import sys
from dataclasses import dataclass

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import got_request_exception
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from shangliang.consultations.defaults import ensure_session_formats
from shangliang.consultations.models import SessionFormat
from shangliang.core.converters import CONVERTERS
from shangliang.dashboard.tests.conftest import YEAR, build_world
from shangliang.evaluation import services as evaluation_services
from shangliang.evaluation.models import FollowUp
from shangliang.funds import services as fund_services
from shangliang.orgs.tests.factories import make_user, small_district
from shangliang.topics.defaults import ensure_defaults
from shangliang.topics.models import Category, ExclusionRule, Submission
from shangliang.topics.tests.builders import approved

LONG = "x" * 3000
# Inserted into the URL as they are, so percent escapes reach the view decoded.
PATH_VALUES = (
    "9" * 30,
    "-1",
    "0",
    "%00",
    "AB%00CD",
    LONG,
    "%E5%95%86%E9%87%8F",
    "..%2F..%2Fetc%2Fpasswd",
    "%FF",
    "1.5",
)
QUERY_VALUES = (
    "9" * 30,
    "-5",
    "0",
    "abc",
    "\x00",
    "a\x00b",
    "0001-01-01",
    "9999-12-31",
    "2025-13-45",
    "0001-01",
    "9999-12",
    LONG,
)
FILLER = "1"
# Django's catch-all of the admin matches anything under admin/ and only redirects.
SKIPPED = {"admin:None"}
# Every admin list is fuzzed, django-axes' too (accounts/admin.py guards them like ours).
FOREIGN_ADMINS: set[str] = set()


# --- the URL patterns, from the resolver ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    pieces: tuple  # literal text and ("param", name) markers, in order
    callback: object

    @property
    def params(self) -> list[str]:
        return [piece[1] for piece in self.pieces if isinstance(piece, tuple)]

    def url(self, values: dict[str, str]) -> str:
        return "/" + "".join(
            values.get(piece[1], FILLER) if isinstance(piece, tuple) else piece for piece in self.pieces
        )


ROUTE_PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _route_pieces(route: str) -> list:
    pieces, at = [], 0
    for match in ROUTE_PARAM.finditer(route):
        pieces += [route[at : match.start()], ("param", match.group(1))]
        at = match.end()
    return [*pieces, route[at:]]


def _regex_pieces(regex: str, first: int) -> list:
    """Literal text and one marker per top-level group (named or not) of a simple URL regex."""
    regex = regex.removeprefix("^").removesuffix("$")
    pieces, text, depth, i, n = [], "", 0, 0, first
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            if depth == 0:
                text += regex[i + 1]
            i += 2
            continue
        if char == "(":
            if depth == 0:
                name = re.match(r"\(\?P<(\w+)>", regex[i:])
                pieces += [text, ("param", name.group(1) if name else f"_{n}")]
                text, n = "", n + 1
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char not in "^$":
            text += char
        i += 1
    return [*pieces, text]


def _pieces(pattern, first: int) -> list:
    if isinstance(pattern, RoutePattern):
        return _route_pieces(str(pattern))
    return _regex_pieces(pattern.regex.pattern, first)


def _walk(patterns, prefix: list, namespace: list) -> list[Route]:
    routes = []
    for pattern in patterns:
        pieces = prefix + _pieces(pattern.pattern, len(prefix))
        if isinstance(pattern, URLResolver):
            inner = [*namespace, pattern.namespace] if pattern.namespace else namespace
            routes += _walk(pattern.url_patterns, pieces, inner)
        else:
            name = ":".join([*namespace, str(pattern.name)])
            if name not in SKIPPED:
                routes.append(Route(name, tuple(p for p in pieces if p != ""), pattern.callback))
    return routes


ROUTES = _walk(get_resolver().url_patterns, [], [])


def _patterns(patterns, *, is_admin=False):
    """The route patterns of the project's own URLs (the admin's are Django's and its packages')."""
    for pattern in patterns:
        inner_admin = is_admin or getattr(pattern, "app_name", None) == "admin"
        if not inner_admin:
            yield pattern.pattern
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, is_admin=inner_admin)


# --- which pages read the query string -----------------------------------------------------------------

CALL_WITH_REQUEST = re.compile(r"([\w.]+)\(\s*request\b")


def _reads_query(func, seen: set) -> bool:
    """Whether ``func`` or a project function it hands ``request`` to reads ``request.GET``."""
    func = inspect.unwrap(func)
    if func in seen or not getattr(func, "__module__", "").startswith("shangliang"):
        return False
    seen.add(func)
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return False
    if "request.GET" in source:
        return True
    for dotted in CALL_WITH_REQUEST.findall(source):
        head, *rest = dotted.split(".")
        target = getattr(func, "__globals__", {}).get(head)
        for attr in rest:
            target = getattr(target, attr, None)
        if callable(target) and _reads_query(target, seen):
            return True
    return False


class RecordingQueryDict(QueryDict):
    """A query string that notes the names a view asks for."""

    read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)


@pytest.fixture
def recording_query(monkeypatch):
    def query(request):
        if "_recorded_get" not in request.__dict__:
            request.__dict__["_recorded_get"] = RecordingQueryDict(
                request.environ.get("QUERY_STRING", ""), encoding=request.encoding
            )
        return request.__dict__["_recorded_get"]

    monkeypatch.setattr(WSGIRequest, "GET", property(query))
    RecordingQueryDict.read = set()
    return RecordingQueryDict


# --- the data ---------------------------------------------------------------------------------------------


@dataclass
class Data:
    world: object
    samples: dict  # route name → list of path values that reach the page


def _samples(world) -> dict:
    c1 = world.consultations["c1"]
    pa1, jia = world.platforms["pa1"], world.members["jia"]
    evaluation_services.follow_up_check(consultation=world.consultations["c3"])
    follow_up = FollowUp.objects.order_by("pk").first()
    consultation = {"pk": str(c1.pk)}
    account = {
        "pk": str(
            fund_services.account_open(
                actor=make_user("fuzz_fund_keeper"),
                village=world.district["a1"],
                name="甲一村协商资金专户",
                opened_on=datetime.date(YEAR, 1, 5),
                bank="农村商业银行",
                account_name="甲一村村民委员会",
                account_number="6230520010001234567",
            ).pk
        )
    }
    return {
        "orgs:member_qr": [{"code": jia.code, "fmt": "svg"}],
        "orgs:member_assign": [{"pk": str(jia.pk)}],
        "orgs:member_public": [{"code": jia.code}],
        "public_members:member": [{"code": jia.code}],
        "topics:submit_member": [{"code": jia.code}],
        "funds:account": [account],
        "funds:spending_new": [account],
        "funds:ledger_export": [account],
        "topics:platform_qr": [{"platform_pk": str(pa1.pk), "fmt": "svg"}],
        "topics:track_detail": [{"code": Submission.objects.order_by("pk").first().tracking_code}],
        "consultations:sign_in_qr": [{**consultation, "fmt": "svg"}],
        "consultations:public_page": [consultation],
        "consultations:post": [consultation],
        "consultations:participants": [consultation],
        "consultations:member_search": [consultation],
        "consultations:start_check": [consultation],
        "consultations:plan_start_check": [{"topic_pk": str(approved(world.district["a1"], "待安排的议题").pk)}],
        "outcomes:report_new": [consultation],
        "outcomes_public:platform_board": [{"pk": str(pa1.pk)}],
        "outcomes_public:village_board": [{"pk": str(world.district["a1"].pk)}],
        "evaluation:consultation": [consultation],
        "evaluation:rating_record": [consultation],
        "evaluation:third_party_evaluation_add": [consultation],
        "evaluation:case_publish": [consultation],
        "evaluation:case_withdraw": [consultation],
        "evaluation:follow_up_close": [{"pk": str(follow_up.pk if follow_up else 1)}],
        "points:member_ledger": [{"pk": str(jia.pk)}],
        "scoring:station": [{"pk": str(world.district["a"].pk)}],
        # One figure of each kind of value: a month, a primary key, a choice, none.
        "dashboard:records": [{"key": key} for key in ("month", "category", "source", "platforms", "ratings")],
        "dashboard:annual_report": [{"year": str(YEAR), "fmt": "docx"}],
    }


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back at the end; every test and every request
    runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        # Present after the migrations; added here too so the module also runs with --no-migrations.
        ensure_defaults(Category, ExclusionRule)
        ensure_session_formats(SessionFormat)
        world = build_world(small_district())
        yield Data(world=world, samples=_samples(world))
        transaction.set_rollback(True)


@pytest.fixture(params=["anonymous", "superuser"])
def visitor(request, data, db, quiet):
    client = Client(raise_request_exception=False)
    if request.param == "superuser":
        client.force_login(make_user("fuzz_root", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def quiet():
    """Thousands of 404s would flood the log; the 5xx are collected with their errors instead."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


class Server:
    """Sends requests, each in a savepoint rolled back afterwards, and notes every 5xx with its error."""

    def __init__(self, client: Client):
        self.client, self.failures, self.error = client, [], None

    def _note(self, sender, request=None, **kwargs):
        self.error = repr(sys.exc_info()[1])[:300]

    def send(self, method: str, url: str, query: dict | None = None):
        cookies = {key: morsel.value for key, morsel in self.client.cookies.items()}
        self.error = None
        got_request_exception.connect(self._note)
        savepoint = transaction.savepoint()
        try:
            response = getattr(self.client, method)(url, query or {})
        finally:
            transaction.savepoint_rollback(savepoint)
            got_request_exception.disconnect(self._note)
            # A hostile POST to the logout URL must not log the rest of the run out.
            self.client.cookies.clear()
            for key, value in cookies.items():
                self.client.cookies[key] = value
        if response.status_code >= 500:
            shown = {k: (v[:20] + "…" if len(v) > 20 else v) for k, v in (query or {}).items()}
            self.failures.append(f"{method.upper()} {url[:120]} {shown} → {response.status_code} {self.error}")
        return response


# --- the tests --------------------------------------------------------------------------------------------


def test_the_fuzz_walks_the_project_and_admin_urls():
    names = {route.name for route in ROUTES}
    assert {"topics:track_detail", "consultations:participant_page", "dashboard:records", "admin:index"} <= names
    assert "admin:accounts_user_simple_history" in names
    assert len(ROUTES) > 250


def test_every_project_url_uses_the_bounded_converters():
    unbounded = []
    for pattern in _patterns(get_resolver().url_patterns):
        for name, converter in getattr(pattern, "converters", {}).items():
            if not isinstance(converter, tuple(CONVERTERS.values())):
                unbounded.append(f"{pattern}: {name} ({type(converter).__name__})")
    assert unbounded == [], "use <id:…>, <year:…>, <token:…> or <file:…> (shangliang.core.converters)"


def test_every_page_with_path_parameters_that_reads_the_query_has_a_sample(data, db):
    missing = [
        route.name
        for route in ROUTES
        if route.params
        and not route.name.startswith("admin:")
        and route.name not in data.samples
        and _reads_query(route.callback, set())
    ]
    assert missing == [], "add these to _samples() so their query parameters are fuzzed"


def test_no_url_answers_5xx_to_hostile_path_values(visitor):
    server = Server(visitor)
    for route in ROUTES:
        for param in route.params:
            for value in PATH_VALUES:
                url = route.url({param: value})
                if server.send("get", url).status_code == 405:
                    server.send("post", url)
    assert not server.failures, "\n".join(server.failures)


def _filter_params(model_admin) -> list[str]:
    """The query names of a changelist: the search and one per filter (``<field>__exact`` for a field)."""
    names = ["q"]
    for entry in model_admin.list_filter:
        field = entry[0] if isinstance(entry, tuple | list) else entry
        names.append(f"{field}__exact" if isinstance(field, str) else field.parameter_name)
    return names


def test_no_admin_list_answers_5xx_to_hostile_search_and_filter_values(visitor, data):
    server = Server(visitor)
    changelists = [
        route
        for route in ROUTES
        if route.name.endswith("_changelist") and route.callback.model_admin.opts.app_label not in FOREIGN_ADMINS
    ]
    assert len(changelists) > 20
    for route in changelists:
        names = _filter_params(route.callback.model_admin)
        for value in QUERY_VALUES:
            server.send("get", route.url({}), dict.fromkeys(names, value))
    # The admin's autocomplete searches a related model's search fields.
    autocomplete = {"app_label": "orgs", "model_name": "region", "field_name": "parent"}
    for value in QUERY_VALUES:
        server.send("get", "/admin/autocomplete/", {**autocomplete, "term": value})
    assert not server.failures, "\n".join(server.failures)


def test_no_page_answers_5xx_to_hostile_query_values(visitor, data, recording_query):
    server = Server(visitor)
    pages = [(route, {}) for route in ROUTES if not route.params and _reads_query(route.callback, set())]
    pages += [(route, values) for route in ROUTES for values in data.samples.get(route.name, [])]
    assert len(pages) > 40
    for route, values in pages:
        url = route.url(values)
        recording_query.read = set()
        # A non-empty query binds the filter forms, so every field they read is noted.
        server.send("get", url, {"_": "1"})
        names = sorted(recording_query.read - {"_"})
        for value in QUERY_VALUES:
            for name in names:
                server.send("get", url, {name: value})
            # All at once too: a period needs its start and its end.
            if len(names) > 1:
                server.send("get", url, dict.fromkeys(names, value))
    assert not server.failures, "\n".join(server.failures)
