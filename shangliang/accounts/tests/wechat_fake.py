"""A local fake of the WeChat official account endpoints the site calls, for tests.

``FakeWeChat`` is a ThreadingHTTPServer on 127.0.0.1 (a free port) in a thread, used as a context
manager. It answers as WeChat documents:

- ``GET /cgi-bin/token`` (grant_type client_credential, appid, secret) → access_token, expires_in;
- ``POST /cgi-bin/message/template/send?access_token=…`` → errcode 0 and a msgid, after checking the
  token is the current one, the openid follows the account, the template is registered and the data
  keys are exactly the template's; ``unsubscribe(openid)`` answers 43004, ``throttle()`` 45009 once,
  ``expire_token()`` makes the current token answer 40001 until a new one is fetched;
- ``GET /connect/oauth2/authorize`` (the browser's stop) → 302 to redirect_uri?code=…&state=… for the
  openid of ``visitor`` (the WeChat user "holding the phone");
- ``GET /sns/oauth2/access_token`` (code → openid); a code works once.

It keeps what it received: ``sent`` (template messages), ``token_requests``, ``oauth_requests``.
``settings_for(fake)`` gives the ``SHANGLIANG_WECHAT`` dict pointing at it.
"""

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


class FakeWeChat:
    def __init__(self, *, app_id="wx-fake-app", secret="fake-secret", templates=None, followers=()):
        self.app_id = app_id
        self.secret = secret
        # template id → its variable names, as registered in the official account's back office
        self.templates = {key: list(names) for key, names in (templates or {}).items()}
        self.followers = set(followers)
        self.unsubscribed = set()
        self.visitor = ""  # the openid of whoever opens the authorize page
        self.token = ""
        self.tokens_work = True  # False: every token fetched is refused at once (40001)
        self.token_requests = []
        self.oauth_requests = []
        self.sent = []
        self.refused = []
        self._codes = {}  # OAuth code → openid, removed when used
        self._throttle = 0
        self._lock = threading.Lock()
        self.server = None
        self.thread = None

    # --- switches -------------------------------------------------------------------------------

    def unsubscribe(self, openid: str) -> None:
        self.unsubscribed.add(openid)

    def throttle(self, times: int = 1) -> None:
        """The next ``times`` template messages answer 45009 (daily quota reached)."""
        self._throttle = times

    def expire_token(self) -> None:
        """The current token stops working (another process fetched a new one): sends answer 40001."""
        self.token = "void"

    def code_for(self, openid: str) -> str:
        code = secrets.token_hex(8)
        self._codes[code] = openid
        return code

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    # --- endpoints ------------------------------------------------------------------------------

    def issue_token(self, query: dict) -> dict:
        self.token_requests.append(query)
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if query.get("appid") != self.app_id:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        with self._lock:
            self.token = "token-" + secrets.token_hex(8)
        return {"access_token": self.token, "expires_in": 7200}

    def send_template(self, query: dict, payload: dict) -> dict:
        answer = self._template_answer(query, payload)
        (self.sent if answer["errcode"] == 0 else self.refused).append({**payload, "errcode": answer["errcode"]})
        return answer

    def _template_answer(self, query: dict, payload: dict) -> dict:
        token = query.get("access_token", "")
        if not token or token != self.token or token == "void" or not self.tokens_work:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        if self._throttle:
            self._throttle -= 1
            return {"errcode": 45009, "errmsg": "reach max api daily quota limit"}
        openid = payload.get("touser", "")
        if openid in self.unsubscribed:
            return {"errcode": 43004, "errmsg": "require subscribe"}
        if openid not in self.followers:
            return {"errcode": 40003, "errmsg": "invalid openid"}
        names = self.templates.get(payload.get("template_id"))
        if names is None:
            return {"errcode": 40037, "errmsg": "invalid template_id"}
        data = payload.get("data")
        if not isinstance(data, dict) or sorted(data) != sorted(names):
            return {"errcode": 47003, "errmsg": "argument invalid! data.keys do not match the template"}
        if any(not isinstance(item, dict) or not isinstance(item.get("value"), str) for item in data.values()):
            return {"errcode": 47003, "errmsg": "argument invalid! data.value"}
        url = payload.get("url")
        if url is not None and not url.startswith(("http://", "https://")):
            return {"errcode": 40039, "errmsg": "invalid url"}
        return {"errcode": 0, "errmsg": "ok", "msgid": 200000 + len(self.sent)}

    def authorize(self, query: dict) -> tuple[int, str]:
        """The WeChat browser's authorisation stop: the Location to redirect to, or an error page."""
        self.oauth_requests.append(query)
        if query.get("appid") != self.app_id or query.get("response_type") != "code":
            return 400, ""
        if query.get("scope") not in {"snsapi_base", "snsapi_userinfo"} or not query.get("redirect_uri"):
            return 400, ""
        if not self.visitor:
            return 403, ""  # "请在微信客户端打开链接"
        target = query["redirect_uri"]
        params = {"code": self.code_for(self.visitor), "state": query.get("state", "")}
        return 302, target + ("&" if "?" in target else "?") + urlencode(params)

    def exchange(self, query: dict) -> dict:
        if query.get("appid") != self.app_id or query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if query.get("grant_type") != "authorization_code":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        with self._lock:
            openid = self._codes.pop(query.get("code", ""), None)
        if openid is None:
            return {"errcode": 40163, "errmsg": "code been used or invalid"}
        return {
            "access_token": "oauth-" + secrets.token_hex(8),
            "expires_in": 7200,
            "refresh_token": "refresh-" + secrets.token_hex(8),
            "openid": openid,
            "scope": "snsapi_base",
        }


class _Handler(BaseHTTPRequestHandler):
    # Answer in one round trip: without it each answer waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    fake: FakeWeChat

    def log_message(self, *args):
        pass

    def _query(self) -> dict:
        return {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}

    def _json(self, answer: dict, status: int = 200) -> None:
        body = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == "/cgi-bin/token":
            return self._json(self.fake.issue_token(self._query()))
        if path == "/sns/oauth2/access_token":
            return self._json(self.fake.exchange(self._query()))
        if path == "/connect/oauth2/authorize":
            status, location = self.fake.authorize(self._query())
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return self._json({"errcode": 40066, "errmsg": "invalid url"}, 404)

    def do_POST(self):
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if path != "/cgi-bin/message/template/send":
            return self._json({"errcode": 40066, "errmsg": "invalid url"}, 404)
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._json({"errcode": 47001, "errmsg": "data format error"})
        return self._json(self.fake.send_template(self._query(), payload))


def settings_for(fake: FakeWeChat) -> dict:
    """``SHANGLIANG_WECHAT`` pointing at the fake."""
    return {
        "app_id": fake.app_id,
        "app_secret": fake.secret,
        "api_base": fake.url + "/",
        "oauth_base": fake.url + "/connect/",
    }
