"""The HTTP client of the sync engine: one ``requests.Session`` with the bearer token and
device id, a (connect, read) timeout on every request, and retries with exponential backoff
and full jitter only where a request is idempotent (GET, HEAD, a push repeating its op ids).

Every JSON answer is parsed with the shared protocol models, so a captive portal's HTML page,
a truncated body or a protocol break is reported as such, not as a crash further down.
urllib3's own ``Retry`` is not used: it cannot know which POSTs are safe to repeat.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
import requests.adapters
from pydantic import BaseModel, ValidationError

from fieldcheck.protocol.errors import ErrorBody
from fieldcheck.sync.errors import SyncError, SyncErrorKind
from fieldcheck.sync.progress import CancelFlag

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

#: Server error codes that mean "sign in again" rather than "this request was wrong".
AUTH_MESSAGES = {
    "token_expired": "the sign-in expired; sign in again (your data is kept)",
    "invalid_token": "the server does not know this sign-in any more; sign in again",
    "device_revoked": "this laptop was revoked by the bureau; contact the bureau "
    "(nothing on the laptop was deleted)",
    "device_mismatch": "the sign-in belongs to another device; sign in again",
    "user_disabled": "this account is disabled; contact the bureau",
    "bad_credentials": "wrong user name or password",
    "not_authenticated": "not signed in; sign in first",
}


@dataclass(frozen=True)
class HttpConfig:
    """Timeouts in seconds; ``attempts`` tries per idempotent request (first one included);
    backoff waits a random time up to ``backoff_base · 2^n``, capped at ``backoff_cap``."""

    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 300.0


class SyncHttp:
    """Requests to one server on behalf of one device; counts requests and bytes sent."""

    def __init__(
        self,
        base_url: str,
        device_id: str,
        *,
        token: str | None = None,
        config: HttpConfig | None = None,
        cancel: CancelFlag | None = None,
        session: requests.Session | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.device_id = device_id
        self.config = config or HttpConfig()
        self.cancel = cancel or CancelFlag()
        self.session = session or requests.Session()
        self.session.headers["X-Device-Id"] = device_id
        self.session.headers["Accept"] = "application/json"
        self.requests_made = 0
        self.body_bytes_sent = 0
        self._rng = rng or random.Random()
        if token:
            self.set_token(token)

    def set_token(self, token: str) -> None:
        self.session.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.session.close()

    def fork(self) -> SyncHttp:
        """A client for another thread: its own connection, the same server, headers, config
        and cancel flag (a ``requests.Session`` is not shared between threads)."""
        twin = SyncHttp(self.base_url, self.device_id, config=self.config, cancel=self.cancel)
        twin.session.headers.update(self.session.headers)
        for prefix, adapter in self.session.adapters.items():
            if type(adapter) is not requests.adapters.HTTPAdapter:
                twin.session.mount(prefix, adapter)  # keep a caller's transport (tests)
        return twin

    def absorb(self, twin: SyncHttp) -> None:
        """Add a fork's counts to this client's and close it."""
        self.requests_made += twin.requests_made
        self.body_bytes_sent += twin.body_bytes_sent
        twin.close()

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.config.connect_timeout, self.config.read_timeout)

    def backoff(self, attempt: int) -> None:
        """Wait before retry number ``attempt`` (1-based): full jitter, cancellable."""
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempt - 1))
        self.cancel.wait(self._rng.uniform(0, ceiling))

    def send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request, no retry; a dead link raises ``SyncError(UNREACHABLE)``."""
        self.cancel.check()
        kwargs.setdefault("timeout", self.timeout)
        data = kwargs.get("data")
        self.requests_made += 1
        try:
            response = self.session.request(method, self.base_url + path, **kwargs)
        except requests.Timeout as exc:
            raise SyncError(
                SyncErrorKind.UNREACHABLE, f"the server did not answer in time ({exc})"
            ) from exc
        except requests.RequestException as exc:
            raise SyncError(
                SyncErrorKind.UNREACHABLE, f"the server cannot be reached ({_short(exc)})"
            ) from exc
        if isinstance(data, bytes | bytearray):
            self.body_bytes_sent += len(data)
        elif "json" in kwargs:
            body = response.request.body
            self.body_bytes_sent += len(body) if isinstance(body, bytes | str) else 0
        return response

    def request(
        self, method: str, path: str, *, idempotent: bool, **kwargs: Any
    ) -> requests.Response:
        """Send, retrying a dead link, a 5xx or a 429 only when ``idempotent``; the answer
        (any other status) is returned for the caller to judge."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.send(method, path, **kwargs)
            except SyncError:
                if not idempotent or attempt >= self.config.attempts:
                    raise
                log.warning(
                    "%s %s failed (attempt %d of %d); trying again",
                    method,
                    path,
                    attempt,
                    self.config.attempts,
                    exc_info=True,
                )
                self.backoff(attempt)
                continue
            retryable = response.status_code >= 500 or response.status_code == 429
            if retryable and idempotent and attempt < self.config.attempts:
                response.close()
                self.backoff(attempt)
                continue
            return response

    def call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        idempotent: bool,
        ok: tuple[int, ...] = (200,),
        **kwargs: Any,
    ) -> M:
        """A JSON request whose answer must parse as ``model``; anything else is a SyncError
        that says what came back."""
        response = self.request(method, path, idempotent=idempotent, **kwargs)
        if response.status_code not in ok:
            raise error_from(response)
        return parse(response, model)


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "…"


def _looks_like_html(response: requests.Response) -> bool:
    kind = response.headers.get("Content-Type", "").lower()
    head = response.content[:200].lstrip().lower()
    return "html" in kind or head.startswith((b"<!doctype", b"<html"))


def _body_json(response: requests.Response) -> Any:
    """The body as JSON, or SyncError saying why it is not (HTML page, cut short, garbage)."""
    where = f"{response.request.method} {response.url}"
    if _looks_like_html(response):
        raise SyncError(
            SyncErrorKind.NOT_JSON,
            f"the server answered with a web page instead of data (HTTP {response.status_code}; "
            "a Wi-Fi sign-in page or a proxy?) for {where}",
            status=response.status_code,
        )
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        what = "cut short" if response.content[:1] in (b"{", b"[") else "not JSON"
        raise SyncError(
            SyncErrorKind.PROTOCOL,
            f"the server's answer to {where} is {what} ({exc}); nothing was changed",
            status=response.status_code,
        ) from exc


def parse(response: requests.Response, model: type[M]) -> M:
    """The body as ``model``; a mismatch is a protocol error naming the first bad field."""
    body = _body_json(response)
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise SyncError(
            SyncErrorKind.PROTOCOL,
            f"the server's answer does not match the protocol ({model.__name__}.{where}: "
            f"{first['msg']}); is the server a compatible fieldcheck server?",
            status=response.status_code,
        ) from exc


def error_from(response: requests.Response) -> SyncError:
    """The SyncError for a failed answer, with the server's error code when it sent one."""
    status = response.status_code
    code, message = "", ""
    try:
        body = ErrorBody.model_validate(_body_json(response))
        code, message = body.code, body.message
    except (SyncError, ValidationError) as exc:
        if isinstance(exc, SyncError) and exc.kind is SyncErrorKind.NOT_JSON and status < 400:
            return exc
        message = f"HTTP {status} {response.reason or ''}".strip()
    if status == 401:
        text = AUTH_MESSAGES.get(code, f"sign-in refused ({message})")
        return SyncError(SyncErrorKind.AUTH, text, code=code or "unauthorized", status=status)
    if status >= 500 or status == 429:
        return SyncError(
            SyncErrorKind.SERVER,
            f"the server failed (HTTP {status}: {message}); nothing was lost, try again later",
            code=code,
            status=status,
        )
    return SyncError(
        SyncErrorKind.REFUSED,
        f"the server refused the request: {message}",
        code=code,
        status=status,
    )


def timed(call: Callable[[], M]) -> tuple[M, float, float]:
    """Run ``call``; return its result with the wall-clock times before and after."""
    before = time.time()
    result = call()
    return result, before, time.time()
