#!/usr/bin/env python3
"""Stand-in local de l'API d'envoi d'e-mails (sous-ensemble de l'API Resend) + boîte web.

Usage :
    python3 local-dev/standins/mail.py --port 8025

Bibliothèque standard Python 3.11 uniquement. Messages en mémoire, protégés par un verrou.
Voir README.md dans ce dossier.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import copy
import datetime as dt
import hashlib
import html
import json
import mimetypes
import re
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_RECIPIENTS = 50
ERROR_NAMES = {400: "validation_error", 401: "missing_api_key", 403: "invalid_api_key",
               404: "not_found", 409: "invalid_idempotent_request", 422: "validation_error",
               429: "rate_limit_exceeded", 500: "internal_server_error",
               502: "application_error", 503: "application_error"}
_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_NAMED_RE = re.compile(r"^\s*(.*?)\s*<([^<>]+)>\s*$")


def log(msg: str) -> None:
    sys.stderr.write(f"[mail] {time.strftime('%H:%M:%S')} {msg}\n")
    sys.stderr.flush()


class ApiError(Exception):
    def __init__(self, status: int, message: str, name: str | None = None):
        super().__init__(message)
        self.status, self.message = status, message
        self.name = name or ERROR_NAMES.get(status, "application_error")

    def to_json(self) -> dict:
        return {"statusCode": self.status, "name": self.name, "message": self.message}


def _valid_address(value: str) -> bool:
    m = _NAMED_RE.match(value)
    addr = m.group(2) if m else value.strip()
    return bool(_EMAIL_RE.match(addr))


def _addresses(body: dict, field: str, required: bool) -> list[str]:
    value = body.get(field)
    if value is None or value == "" or value == []:
        if required:
            raise ApiError(422, f"Missing `{field}` field.")
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise ApiError(422, f"The `{field}` field must be a string or an array of strings.")
    if len(items) > MAX_RECIPIENTS:
        raise ApiError(422, f"The `{field}` field can contain at most {MAX_RECIPIENTS} addresses.")
    for x in items:
        if not _valid_address(x):
            raise ApiError(422, f"Invalid `{field}` field. The email address needs to follow the "
                           "`email@example.com` or `Name <email@example.com>` format.")
    return items


def validate(body) -> dict:
    """Valide le corps JSON ; renvoie le message normalisé (sans id ni date)."""
    if not isinstance(body, dict):
        raise ApiError(422, "The request body must be a JSON object.")
    sender = body.get("from")
    if not sender:
        raise ApiError(422, "Missing `from` field.")
    if not isinstance(sender, str) or not _valid_address(sender):
        raise ApiError(422, "Invalid `from` field. The email address needs to follow the "
                       "`email@example.com` or `Name <email@example.com>` format.")
    to = _addresses(body, "to", True)
    cc = _addresses(body, "cc", False)
    bcc = _addresses(body, "bcc", False)
    reply_to = _addresses(body, "reply_to", False)
    subject = body.get("subject")
    if subject is None or subject == "":
        raise ApiError(422, "Missing `subject` field.")
    if not isinstance(subject, str):
        raise ApiError(422, "The `subject` field must be a string.")
    html_body, text_body = body.get("html"), body.get("text")
    for name, v in (("html", html_body), ("text", text_body)):
        if v is not None and not isinstance(v, str):
            raise ApiError(422, f"The `{name}` field must be a string.")
    if not html_body and not text_body:
        raise ApiError(422, "Missing `html` or `text` field.")
    headers = body.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in headers.items()):
        raise ApiError(422, "The `headers` field must be an object of string values.")
    tags = body.get("tags") or []
    if not isinstance(tags, list):
        raise ApiError(422, "The `tags` field must be an array.")
    attachments = []
    raw_att = body.get("attachments") or []
    if not isinstance(raw_att, list):
        raise ApiError(422, "The `attachments` field must be an array.")
    for i, a in enumerate(raw_att):
        if not isinstance(a, dict):
            raise ApiError(422, f"attachments[{i}] must be an object.")
        filename = a.get("filename")
        if not filename or not isinstance(filename, str):
            raise ApiError(422, f"Missing `filename` field in attachments[{i}].")
        content = a.get("content")
        if content is None:
            if a.get("path"):
                raise ApiError(422, f"attachments[{i}]: `path` is not supported by the local "
                               "stand-in (no internet); send `content` in base64.")
            raise ApiError(422, f"Missing `content` field in attachments[{i}].")
        if not isinstance(content, str):
            raise ApiError(422, f"attachments[{i}].content must be a base64 string.")
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(422, f"attachments[{i}].content is not valid base64.")
        ctype = a.get("content_type") or mimetypes.guess_type(filename)[0] \
            or "application/octet-stream"
        attachments.append({"filename": filename, "content_type": ctype, "data": data})
    return {"from": sender, "to": to, "cc": cc, "bcc": bcc, "reply_to": reply_to,
            "subject": subject, "html": html_body, "text": text_body, "headers": headers,
            "tags": tags, "scheduled_at": body.get("scheduled_at"), "attachments": attachments}


def public_message(msg: dict) -> dict:
    out = {k: copy.deepcopy(v) for k, v in msg.items() if k != "attachments"}
    atts = []
    for i, a in enumerate(msg["attachments"]):
        try:
            text = a["data"].decode("utf-8")
        except UnicodeDecodeError:
            text = None
        atts.append({"index": i, "filename": a["filename"], "content_type": a["content_type"],
                     "size": len(a["data"]), "content": text,
                     "content_base64": base64.b64encode(a["data"]).decode("ascii")})
    out["attachments"] = atts
    return out


class MailState:
    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.idempotency: dict[str, tuple[str, str]] = {}   # clé → (empreinte, id)
        self.fail_count = 0
        self.fail_status = 500

    def log(self, msg):
        if not self.quiet:
            log(msg)

    def send(self, raw: bytes, idem_key: str | None) -> str:
        with self.lock:
            if self.fail_count > 0:
                self.fail_count -= 1
                status = self.fail_status
                self.log(f"échec simulé ({status}), encore {self.fail_count}")
                raise ApiError(status, f"Simulated failure (status {status}) injected by "
                               "/_test/fail-next.")
        try:
            body = json.loads(raw.decode("utf-8") or "null")
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ApiError(422, f"Invalid JSON body: {e}")
        msg = validate(body)
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with self.lock:
            if idem_key:
                prev = self.idempotency.get(idem_key)
                if prev is not None:
                    if prev[0] != digest:
                        raise ApiError(409, "This idempotency key has already been used on a "
                                       "request with a different payload. Retrying this request "
                                       "is not allowed.", "invalid_idempotent_request")
                    self.log(f"clé d'idempotence déjà vue, id {prev[1]} renvoyé")
                    return prev[1]
            mid = str(uuid.uuid4())
            msg["id"] = mid
            msg["created_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")
            msg["idempotency_key"] = idem_key
            self.messages.append(msg)
            self.by_id[mid] = msg
            if idem_key:
                self.idempotency[idem_key] = (digest, mid)
        self.log(f"reçu {mid} → {', '.join(msg['to'])} : {msg['subject']}")
        return mid

    def get(self, mid: str) -> dict | None:
        with self.lock:
            return self.by_id.get(mid)

    def all(self) -> list[dict]:
        with self.lock:
            return list(self.messages)

    def clear(self):
        with self.lock:
            self.messages.clear()
            self.by_id.clear()
            self.idempotency.clear()

    def fail_next(self, count: int, status: int):
        with self.lock:
            self.fail_count, self.fail_status = count, status


# --------------------------------------------------------------------------------------
# Pages web (français).

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f8fa;
color:#1f2328}header{background:#1f2328;color:#fff;padding:.8rem 1.5rem}
header a{color:#fff;text-decoration:none;font-weight:600}main{padding:1.5rem;max-width:70rem;margin:auto}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.5rem .75rem;
border-bottom:1px solid #e5e7eb;vertical-align:top}th{background:#f3f4f6;font-weight:600}
pre{white-space:pre-wrap;background:#fff;border:1px solid #e5e7eb;padding:1rem;border-radius:6px}
iframe{width:100%;height:32rem;border:1px solid #e5e7eb;border-radius:6px;background:#fff}
.muted{color:#6b7280}h2{font-size:1.05rem;margin-top:1.5rem}
"""


def page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            f"<header><a href=\"/\">Boîte de réception locale</a></header>"
            f"<main>{body}</main></body></html>").encode("utf-8")


def fmt_date(iso: str) -> str:
    try:
        d = dt.datetime.fromisoformat(iso).astimezone()
        return d.strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return iso


def index_page(messages: list[dict]) -> bytes:
    e = html.escape
    if not messages:
        rows = "<tr><td colspan=\"4\" class=\"muted\">Aucun message reçu pour le moment.</td></tr>"
    else:
        rows = "".join(
            f"<tr><td>{e(fmt_date(m['created_at']))}</td><td>{e(', '.join(m['to']))}</td>"
            f"<td><a href=\"/messages/{e(m['id'])}\">{e(m['subject'])}</a></td>"
            f"<td>{'📎 ' + str(len(m['attachments'])) if m['attachments'] else ''}</td></tr>"
            for m in reversed(messages))
    n = len(messages)
    return page("Boîte de réception locale",
                f"<h1>Messages reçus</h1><p class=\"muted\">{n} message{'s' if n > 1 else ''} — "
                "<a href=\"/\">actualiser</a></p>"
                "<table><thead><tr><th>Date</th><th>Destinataire</th><th>Objet</th><th>Pièces "
                f"jointes</th></tr></thead><tbody>{rows}</tbody></table>")


def message_page(m: dict) -> bytes:
    e = html.escape
    rows = [("Date", fmt_date(m["created_at"])), ("De", m["from"]), ("À", ", ".join(m["to"]))]
    if m["cc"]:
        rows.append(("Cc", ", ".join(m["cc"])))
    if m["bcc"]:
        rows.append(("Cci", ", ".join(m["bcc"])))
    if m["reply_to"]:
        rows.append(("Répondre à", ", ".join(m["reply_to"])))
    rows.append(("Objet", m["subject"]))
    for k, v in m["headers"].items():
        rows.append((k, v))
    if m.get("idempotency_key"):
        rows.append(("Clé d'idempotence", m["idempotency_key"]))
    rows.append(("Identifiant", m["id"]))
    head = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    text = (f"<pre>{e(m['text'])}</pre>" if m["text"]
            else "<p class=\"muted\">Pas de version texte.</p>")
    htm = (f"<iframe sandbox title=\"Version HTML\" srcdoc=\"{e(m['html'], quote=True)}\"></iframe>"
           if m["html"] else "<p class=\"muted\">Pas de version HTML.</p>")
    if m["attachments"]:
        att = "<ul>" + "".join(
            f"<li><a href=\"/messages/{e(m['id'])}/attachments/{i}\">{e(a['filename'])}</a> "
            f"<span class=\"muted\">({e(a['content_type'])}, {len(a['data'])} octets)</span></li>"
            for i, a in enumerate(m["attachments"])) + "</ul>"
    else:
        att = "<p class=\"muted\">Aucune pièce jointe.</p>"
    return page(m["subject"], f"<h1>{e(m['subject'])}</h1><table>{head}</table>"
                f"<h2>Version HTML</h2>{htm}<h2>Version texte</h2>{text}"
                f"<h2>Pièces jointes</h2>{att}")


# --------------------------------------------------------------------------------------
# Serveur HTTP.

class Handler(BaseHTTPRequestHandler):
    server_version = "MailStandin/1.0"
    state: MailState

    def log_message(self, fmt, *args):
        if not self.state.quiet:
            log(f"{self.command} {self.path} → {args[1] if len(args) > 1 else ''}")

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _send(self, status: int, body: bytes, ctype: str, extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj):
        self._send(status, json.dumps(obj, indent=2, ensure_ascii=False).encode("utf-8") + b"\n",
                   "application/json")

    def _html(self, status: int, body: bytes):
        self._send(status, body, "text/html; charset=utf-8",
                   {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                    "img-src * data:; frame-src 'self' about:; font-src * data:"})

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method: str):
        path = urllib.parse.urlsplit(self.path).path
        if path != "/":
            path = path.rstrip("/")
        try:
            self._route(method, path)
        except ApiError as e:
            self._json(e.status, e.to_json())
        except Exception as e:  # pragma: no cover
            log(f"erreur interne : {type(e).__name__}: {e}")
            self._json(500, ApiError(500, "Internal stand-in error.").to_json())

    def _route(self, method: str, path: str):
        st = self.state
        body = self._body() if method in ("POST", "DELETE") else b""
        if path == "/emails" and method == "POST":
            auth = self.headers.get("Authorization", "")
            key = auth[7:].strip() if auth.startswith("Bearer ") else ""
            if not key:
                raise ApiError(401, "Missing API key in the authorization header. Include the "
                               "following header in the request: Authorization: Bearer YOUR_API_KEY",
                               "missing_api_key")
            mid = st.send(body, self.headers.get("Idempotency-Key") or None)
            return self._json(200, {"id": mid})
        m = re.fullmatch(r"/emails/([^/]+)", path)
        if m and method == "GET":
            msg = st.get(m.group(1))
            if msg is None:
                raise ApiError(404, "Email not found", "not_found")
            return self._json(200, {"object": "email", "id": msg["id"], "from": msg["from"],
                                    "to": msg["to"], "cc": msg["cc"] or None,
                                    "bcc": msg["bcc"] or None, "reply_to": msg["reply_to"] or None,
                                    "subject": msg["subject"], "html": msg["html"],
                                    "text": msg["text"], "created_at": msg["created_at"],
                                    "last_event": "delivered"})
        if path == "/_test/fail-next" and method == "POST":
            try:
                req = json.loads(body.decode("utf-8") or "{}")
                count = int(req.get("count", 1))
                status = int(req.get("status", 500))
            except (ValueError, TypeError, AttributeError):
                raise ApiError(422, "Expected JSON {\"count\": N, \"status\": 500}.")
            if count < 0 or not 400 <= status <= 599:
                raise ApiError(422, "count must be >= 0 and status between 400 and 599.")
            st.fail_next(count, status)
            return self._json(200, {"count": count, "status": status})
        if path == "/_test/messages":
            if method == "GET":
                return self._json(200, [public_message(m) for m in st.all()])
            if method == "DELETE":
                st.clear()
                return self._json(200, {"deleted": True})
        if method == "GET" and path == "/":
            return self._html(200, index_page(st.all()))
        m = re.fullmatch(r"/messages/([^/]+)", path)
        if m and method == "GET":
            msg = st.get(m.group(1))
            if msg is None:
                return self._html(404, page("Message introuvable",
                                            "<h1>Message introuvable</h1>"
                                            "<p><a href=\"/\">Retour à la liste</a></p>"))
            return self._html(200, message_page(msg))
        m = re.fullmatch(r"/messages/([^/]+)/attachments/(\d+)", path)
        if m and method == "GET":
            msg = st.get(m.group(1))
            n = int(m.group(2))
            if msg is None or n >= len(msg["attachments"]):
                return self._html(404, page("Pièce jointe introuvable",
                                            "<h1>Pièce jointe introuvable</h1>"))
            a = msg["attachments"][n]
            fname = a["filename"]
            ascii_name = fname.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
            disp = (f"attachment; filename=\"{ascii_name}\"; "
                    f"filename*=UTF-8''{urllib.parse.quote(fname)}")
            return self._send(200, a["data"], a["content_type"],
                              {"Content-Disposition": disp, "X-Content-Type-Options": "nosniff",
                               "Content-Security-Policy": "sandbox"})
        raise ApiError(404, f"Route not found: {method} {path}", "not_found")


class MailServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, state: MailState):
        super().__init__(addr, type("BoundHandler", (Handler,), {"state": state}))
        self.state = state


def make_server(host: str = "127.0.0.1", port: int = 8025, quiet: bool = False) -> MailServer:
    return MailServer((host, port), MailState(quiet))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Stand-in local de l'API d'envoi d'e-mails "
                                 "(sous-ensemble Resend) avec boîte de réception web.")
    ap.add_argument("--port", type=int, default=8025, help="port d'écoute (défaut 8025)")
    ap.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut 127.0.0.1)")
    ap.add_argument("--quiet", action="store_true", help="pas de journal")
    args = ap.parse_args(argv)
    server = make_server(args.host, args.port, args.quiet)
    port = server.server_address[1]
    print(f"Stand-in e-mail à l'écoute sur http://{args.host}:{port} "
          f"(boîte de réception : http://localhost:{port}/)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
