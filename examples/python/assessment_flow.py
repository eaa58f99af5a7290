#!/usr/bin/env python3
"""An assessment vendor's backend in Python, talking to the ats-consent partner API.

Standard library only (urllib, json). It does what the README's "Partner API" section documents:

1. reads the event feed up to its end (from ATS_LAST_EVENT_ID when you kept one);
2. lists the new assessment orders (no result sent yet);
3. for each: reads the candidate and the job, sends IN_PROGRESS, then COMPLETED with a score,
   then a PDF report (multipart/form-data, built by hand), and waits until SmartRecruiters has them;
4. calls the user's connected TE Recruit through the kit's proxy (the kit adds the token);
5. reads the feed again from the last id it had: the events this run caused.

Environment:
  ATS_API_URL        the partner API of the kit running the Assessment product,
                     e.g. http://localhost:3000/ats-assessment/partner/v1
  ATS_API_KEY        a key with scopes read,write (never printed)
  ATS_PROXY_API_URL  the partner API of the kit holding provider connections (default: ATS_API_URL)
  ATS_PROXY_API_KEY  a key with scopes read,proxy for it (default: ATS_API_KEY)
  ATS_LAST_EVENT_ID  the id of the last event you processed (optional)

Exit codes: 0 done (also when there was nothing to do); 1 the API refused or failed; 2 bad environment.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

PROXY_OPERATION = "/connections/{id}/proxy/{path}"
PDF = b"%PDF-1.4\n% assessment report from the Python example\n%%EOF\n"


class ApiError(Exception):
    """A problem+json answer (RFC 9457), or a transport failure. Never carries the key."""

    def __init__(self, method, path, status, problem):
        code = problem.get("code") or problem.get("type", "").rsplit("/", 1)[-1] or "error"
        field = f" (field {problem['field']})" if problem.get("field") else ""
        super().__init__(f"{method} {path}: HTTP {status} {code}: {problem.get('detail', '')}{field}")
        self.status = status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect with the Authorization header to any host: never follow one.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class PartnerApi:
    def __init__(self, base_url, key):
        self.base_url = base_url.rstrip("/")
        self._key = key
        self._opener = urllib.request.build_opener(_NoRedirects)

    def call(self, method, path, query=None, json_body=None, body=None, headers=None):
        """(status, headers, parsed JSON or raw bytes). Raises ApiError for any answer >= 400."""
        url = self.base_url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        sent = {"Accept": "application/json", "Authorization": f"Bearer {self._key}", **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, method=method, headers=sent)
        try:
            with self._opener.open(request, timeout=30) as response:
                status, answer_headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, raw = error.code, error.headers, error.read()
        except urllib.error.URLError as error:
            raise ApiError(method, path, 0, {"code": "unreachable", "detail": str(error.reason)}) from None
        parsed = json.loads(raw) if raw and "json" in answer_headers.get("Content-Type", "") else raw
        if status >= 400 and answer_headers.get("X-Ats-Proxied") == "1":
            # The provider's own error, passed through by the kit's proxy (not a problem document).
            raise ApiError(method, path, status, {"code": "from the provider", "detail": raw[:200].decode(errors="replace")})
        if status >= 400:
            raise ApiError(method, path, status, parsed if isinstance(parsed, dict) else {"detail": raw[:200].decode(errors="replace")})
        return status, answer_headers, parsed

    def get(self, path, **query):
        return self.call("GET", path, query={k: v for k, v in query.items() if v is not None})[2]

    def operations(self):
        """The paths the kit's OpenAPI document lists (served without a key)."""
        with self._opener.open(self.base_url + "/openapi.json", timeout=30) as response:
            return json.loads(response.read())["paths"]


def read_feed(api, after):
    """Every event after `after` (None: from the oldest kept), following has_more."""
    events = []
    while True:
        page = api.get("/events", after=after, limit=100)
        events += page["data"]
        if page["data"]:
            after = page["data"][-1]["id"]
        if not page["has_more"]:
            return events, after


def new_orders(api):
    orders, cursor = [], None
    while True:
        page = api.get("/assessment/orders", status="none", limit=100, cursor=cursor)
        orders += page["data"]
        cursor = page["next_cursor"]
        if not cursor:
            return orders


def multipart_pdf(filename, data):
    """A multipart/form-data body with one part `file` (RFC 7578), built by hand."""
    boundary = "py-" + uuid.uuid4().hex
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return f"multipart/form-data; boundary={boundary}", head + data + f"\r\n--{boundary}--\r\n".encode()


def process(api, order):
    order_id = order["orderId"]
    path = f"/assessment/orders/{order_id}"
    candidate = api.get(path + "/candidate")
    job = api.get(path + "/job")
    print(f"order {order_id} ({order['packageId']}): candidate {candidate.get('firstName', '?')}, job {job.get('title', job.get('id'))}")
    for update in ({"status": "IN_PROGRESS"}, {"status": "COMPLETED", "score": {"raw": 87, "min": 0, "max": 100}, "scoreLabel": "87/100"}):
        status, _, answer = api.call("PATCH", path + "/result", json_body=update, headers={"Content-Type": "application/merge-patch+json"})
        print(f"  result {update['status']}: HTTP {status}, delivery {answer['delivery']['state']}")
    content_type, body = multipart_pdf("report.pdf", PDF)
    status, _, answer = api.call("POST", path + "/attachments", body=body, headers={"Content-Type": content_type})
    print(f"  report.pdf: HTTP {status}, {answer['state']}")
    # The 202s mean committed; the kit delivers to SmartRecruiters in the background.
    for _ in range(150):
        now = api.get(path)
        states = [now["delivery"]["state"]] + [file["state"] for file in now["attachments"]]
        if all(state in ("delivered", "failed") for state in states):
            break
        time.sleep(0.1)
    print(f"  at SmartRecruiters: result {states[0]}, attachments {', '.join(states[1:])}")
    return candidate


def call_provider(api, candidate):
    """Creates the candidate as a person in the user's TE Recruit, through the kit's proxy."""
    if PROXY_OPERATION not in api.operations():
        print(f"proxy: skipped, this kit's partner API has no {PROXY_OPERATION} operation (an older kit)")
        return
    connections = api.get("/connections", provider="te-recruit", status="connected", limit=1)["data"]
    if not connections:
        print("proxy: skipped, no connected TE Recruit account (a user connects one on the partner's settings page)")
        return
    proxied = f"/connections/{connections[0]['id']}/proxy"
    person = {"person": {"first_name": candidate.get("firstName", ""), "last_name": candidate.get("lastName", ""), "status": "active"}}
    status, headers, created = api.call("POST", proxied + "/people", json_body=person)
    # X-Ats-Proxied marks the provider's own answer, so it is never mistaken for the kit's errors.
    if headers.get("X-Ats-Proxied") != "1":
        raise ApiError("POST", proxied + "/people", status, {"detail": "the answer is not the provider's"})
    person_id = created["person"]["id"]
    read = api.get(f"{proxied}/people/{person_id}")
    print(f"proxy: TE Recruit person {person_id} created (HTTP {status}) and read back ({read['person']['status']})")


def main():
    base_url, key = os.environ.get("ATS_API_URL"), os.environ.get("ATS_API_KEY")
    if not base_url or not key:
        print("set ATS_API_URL and ATS_API_KEY (see the README's Python example)", file=sys.stderr)
        return 2
    api = PartnerApi(base_url, key)
    proxy_api = PartnerApi(os.environ.get("ATS_PROXY_API_URL") or base_url, os.environ.get("ATS_PROXY_API_KEY") or key)
    try:
        try:
            missed, last_id = read_feed(api, os.environ.get("ATS_LAST_EVENT_ID") or None)
        except ApiError as error:
            if error.status != 404:
                raise
            # unknown-event: older than the feed's retention (or never issued); start from the oldest kept.
            print("event feed: ATS_LAST_EVENT_ID is no longer in the feed, reading it from the start")
            missed, last_id = read_feed(api, None)
        print(f"event feed: {len(missed)} event(s) to catch up on")
        orders = new_orders(api)
        print(f"new orders: {len(orders)}")
        candidate = None
        for order in orders:
            candidate = process(api, order)
        if candidate is not None:
            call_provider(proxy_api, candidate)
        events, next_id = read_feed(api, last_id)
        for event in events:
            print(f"event {event['type']} {event['data'].get('orderId', '')}".rstrip())
        print(f"next run: ATS_LAST_EVENT_ID={next_id or ''}")
    except ApiError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
