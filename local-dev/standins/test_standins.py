"""Tests des stand-ins Stripe et e-mail.

    python3 -m unittest discover -s local-dev/standins -v

Les serveurs tournent dans des threads du processus de test (plus un sous-processus bref
pour vérifier la ligne de commande) ; tout est arrêté à la fin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = "whsec_test_secret"
API_KEY = "sk_test_local"


def _load(name: str, filename: str):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, filename))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


stripe_standin = _load("stripe_standin", "stripe.py")
mail_standin = _load("mail_standin", "mail.py")
agendas_standin = _load("agendas_standin", "agendas.py")

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


NOREDIRECT_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def http(method, url, data=None, headers=None, opener=OPENER):
    """→ (status, headers, body bytes) ; ne lève pas sur les statuts d'erreur."""
    if isinstance(data, dict):
        data = json.dumps(data).encode()
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def verify_stripe_signature(raw_body: bytes, header: str, secret: str, tolerance: int = 300):
    """Vérification identique à celle des bibliothèques Stripe."""
    parts = [p.split("=", 1) for p in header.split(",")]
    t = [v for k, v in parts if k == "t"]
    v1 = [v for k, v in parts if k == "v1"]
    if len(t) != 1 or not v1:
        raise ValueError("en-tête Stripe-Signature mal formé : " + header)
    expected = hmac.new(secret.encode(), f"{t[0]}.{raw_body.decode('utf-8')}".encode(),
                        hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, s) for s in v1):
        raise ValueError("signature invalide")
    if abs(time.time() - int(t[0])) > tolerance:
        raise ValueError("horodatage hors tolérance")
    return int(t[0])


class FakeWorker:
    """Faux Worker qui enregistre les webhooks reçus ; statuts de réponse programmables."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[dict] = []
        self.statuses: list[int] = []      # statuts à renvoyer d'abord (puis 200)
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with outer.lock:
                    status = outer.statuses.pop(0) if outer.statuses else 200
                    outer.received.append({"path": self.path, "headers": dict(self.headers),
                                           "body": body, "status": status})
                out = b'{"received":true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/stripe"

    def for_event(self, event_id):
        with self.lock:
            return [r for r in self.received if json.loads(r["body"])["id"] == event_id]

    def of_type(self, type_):
        with self.lock:
            return [r for r in self.received if json.loads(r["body"])["type"] == type_]


def start(server):
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return t


def wait_for(cond, timeout=8.0, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        v = cond()
        if v:
            return v
        time.sleep(step)
    return cond()


# --------------------------------------------------------------------------------------

class StripeStandinTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.worker = FakeWorker()
        start(cls.worker.server)
        cls.server = stripe_standin.make_server("127.0.0.1", 0, webhook_url=cls.worker.url,
                                                webhook_secret=SECRET, quiet=True)
        start(cls.server)
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls):
        for s in (cls.server, cls.worker.server):
            s.shutdown()
            s.server_close()

    def api(self, method, path, form=None, key=API_KEY, idem=None):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif method == "POST":
            data = b""
        if idem:
            headers["Idempotency-Key"] = idem
        status, _, body = http(method, self.base + path, data, headers)
        return status, json.loads(body)

    def session_form(self, **over):
        form = {
            "mode": "payment",
            "success_url": "http://coach.localhost:8787/reservation/ok?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "http://coach.localhost:8787/reservation/annulee",
            "line_items[0][price_data][currency]": "eur",
            "line_items[0][price_data][unit_amount]": "8900",
            "line_items[0][price_data][product_data][name]": "Séance de coaching",
            "line_items[0][price_data][product_data][description]": "Mardi 14 mai, 10 h",
            "line_items[0][quantity]": "1",
            "customer_email": "client@example.com",
            "client_reference_id": "resa_42",
            "metadata[reservation_id]": "resa_42",
            "metadata[vertical]": "coach",
        }
        form.update(over)
        return {k: v for k, v in form.items() if v is not None}

    def create(self, **over):
        status, obj = self.api("POST", "/v1/checkout/sessions", self.session_form(**over))
        self.assertEqual(status, 200, obj)
        return obj

    def signed_event(self, rec):
        self.assertTrue(rec["headers"]["Content-Type"].startswith("application/json"))
        verify_stripe_signature(rec["body"], rec["headers"]["Stripe-Signature"], SECRET)
        return json.loads(rec["body"])

    # -- tests --------------------------------------------------------------------

    def test_auth_required(self):
        status, obj = self.api("GET", "/v1/checkout/sessions/cs_test_x", key=None)
        self.assertEqual(status, 401)
        self.assertEqual(obj["error"]["type"], "invalid_request_error")
        self.assertIn("message", obj["error"])
        status, obj = self.api("GET", "/v1/checkout/sessions/cs_test_x", key="pk_test_nope")
        self.assertEqual(status, 401)

    def test_create_and_get_session(self):
        s = self.create(**{"line_items[1][price_data][currency]": "eur",
                           "line_items[1][price_data][unit_amount]": "500",
                           "line_items[1][price_data][product_data][name]": "Option",
                           "line_items[1][quantity]": "2"})
        self.assertTrue(s["id"].startswith("cs_test_"))
        self.assertEqual(s["object"], "checkout.session")
        self.assertEqual(s["status"], "open")
        self.assertEqual(s["payment_status"], "unpaid")
        self.assertEqual(s["amount_total"], 8900 + 2 * 500)
        self.assertEqual(s["currency"], "eur")
        self.assertEqual(s["metadata"], {"reservation_id": "resa_42", "vertical": "coach"})
        self.assertEqual(s["client_reference_id"], "resa_42")
        self.assertEqual(s["customer_email"], "client@example.com")
        self.assertIsNone(s["payment_intent"])
        self.assertEqual(s["mode"], "payment")
        self.assertEqual(s["url"], f"http://localhost:{self.server.server_address[1]}/c/pay/{s['id']}")
        self.assertGreater(s["expires_at"], s["created"])
        status, got = self.api("GET", f"/v1/checkout/sessions/{s['id']}")
        self.assertEqual((status, got), (200, s))
        status, err = self.api("GET", "/v1/checkout/sessions/cs_test_unknown")
        self.assertEqual(status, 404)
        self.assertEqual(err["error"]["type"], "invalid_request_error")
        self.assertEqual(err["error"]["code"], "resource_missing")

    def test_validation(self):
        for drop, param in (("mode", "mode"), ("success_url", "success_url")):
            status, err = self.api("POST", "/v1/checkout/sessions", self.session_form(**{drop: None}))
            self.assertEqual(status, 400, err)
            self.assertEqual(err["error"]["type"], "invalid_request_error")
            self.assertEqual(err["error"]["param"], param)
        form = {k: v for k, v in self.session_form().items() if not k.startswith("line_items")}
        status, err = self.api("POST", "/v1/checkout/sessions", form)
        self.assertEqual((status, err["error"]["param"]), (400, "line_items"))
        status, err = self.api("POST", "/v1/checkout/sessions",
                               self.session_form(**{"line_items[0][price_data][unit_amount]": "abc"}))
        self.assertEqual(status, 400)
        status, err = self.api("POST", "/v1/checkout/sessions", self.session_form(bogus="1"))
        self.assertEqual((status, err["error"]["code"]), (400, "parameter_unknown"))

    def test_idempotency(self):
        form = self.session_form()
        s1, a = self.api("POST", "/v1/checkout/sessions", form, idem="idem-1")
        s2, b = self.api("POST", "/v1/checkout/sessions", form, idem="idem-1")
        self.assertEqual((s1, s2), (200, 200))
        self.assertEqual(a, b)
        s3, c = self.api("POST", "/v1/checkout/sessions", form, idem="idem-2")
        self.assertNotEqual(a["id"], c["id"])
        s4, err = self.api("POST", "/v1/checkout/sessions",
                           self.session_form(**{"metadata[reservation_id]": "autre"}), idem="idem-1")
        self.assertEqual(s4, 400)
        self.assertEqual(err["error"]["type"], "idempotency_error")

    def test_hosted_page_and_pay(self):
        s = self.create()
        status, _, body = http("GET", s["url"].replace("localhost", "127.0.0.1"))
        page = body.decode()
        self.assertEqual(status, 200)
        self.assertIn("89,00 €", page)
        self.assertIn("client@example.com", page)
        self.assertIn("Séance de coaching", page)
        self.assertIn("Payer", page)
        self.assertIn("Annuler", page)
        self.assertIn('lang="fr"', page)
        self.assertEqual(len(re.findall(r'<form method="post"', page)), 2)

        # Annuler : 303 vers cancel_url, la session reste ouverte.
        status, headers, _ = http("POST", f"{self.base}/c/pay/{s['id']}/annuler", b"",
                                  opener=NOREDIRECT_OPENER)
        self.assertEqual(status, 303)
        self.assertEqual(headers["Location"], s["cancel_url"])
        self.assertEqual(self.api("GET", f"/v1/checkout/sessions/{s['id']}")[1]["status"], "open")

        status, headers, _ = http("POST", f"{self.base}/c/pay/{s['id']}/payer", b"",
                                  opener=NOREDIRECT_OPENER)
        self.assertEqual(status, 303)
        self.assertEqual(headers["Location"],
                         f"http://coach.localhost:8787/reservation/ok?session_id={s['id']}")
        recs = [r for r in self.worker.of_type("checkout.session.completed")
                if json.loads(r["body"])["data"]["object"]["id"] == s["id"]]
        self.assertEqual(len(recs), 1)  # envoyé avant la redirection
        self.assertEqual(recs[0]["path"], "/webhooks/stripe")
        ev = self.signed_event(recs[0])
        self.assertTrue(ev["id"].startswith("evt_"))
        self.assertEqual(ev["object"], "event")
        self.assertEqual(ev["api_version"], "2024-06-20")
        self.assertFalse(ev["livemode"])
        obj = ev["data"]["object"]
        self.assertEqual((obj["status"], obj["payment_status"]), ("complete", "paid"))
        self.assertTrue(obj["payment_intent"].startswith("pi_"))
        self.assertEqual(obj["metadata"]["reservation_id"], "resa_42")
        # Le corps envoyé est la sérialisation compacte.
        self.assertEqual(recs[0]["body"], json.dumps(ev, separators=(",", ":"),
                                                     ensure_ascii=False).encode())
        # Signature fausse détectée.
        with self.assertRaises(ValueError):
            verify_stripe_signature(recs[0]["body"] + b" ", recs[0]["headers"]["Stripe-Signature"],
                                    SECRET)
        got = self.api("GET", f"/v1/checkout/sessions/{s['id']}")[1]
        self.assertEqual(got["status"], "complete")
        # Page d'une session payée, et journal des événements.
        status, _, body = http("GET", f"{self.base}/c/pay/{s['id']}")
        self.assertIn("déjà effectué", body.decode())
        events = json.loads(http("GET", f"{self.base}/_test/events")[2])["data"]
        mine = [e for e in events if e["id"] == ev["id"]]
        self.assertEqual(mine[0]["deliveries"][0]["status"], 200)
        self.assertTrue(mine[0]["delivered"])

    def test_test_pay_hook_and_sessions_list(self):
        s = self.create()
        status, _, body = http("POST", f"{self.base}/_test/sessions/{s['id']}/pay", b"")
        paid = json.loads(body)
        self.assertEqual((status, paid["payment_status"]), (200, "paid"))
        sessions = json.loads(http("GET", f"{self.base}/_test/sessions")[2])["data"]
        self.assertIn(s["id"], [x["id"] for x in sessions])

    def test_expire(self):
        s = self.create()
        status, obj = self.api("POST", f"/v1/checkout/sessions/{s['id']}/expire")
        self.assertEqual((status, obj["status"]), (200, "expired"))
        recs = [r for r in self.worker.of_type("checkout.session.expired")
                if json.loads(r["body"])["data"]["object"]["id"] == s["id"]]
        self.assertEqual(len(recs), 1)
        self.assertEqual(self.signed_event(recs[0])["data"]["object"]["status"], "expired")
        status, err = self.api("POST", f"/v1/checkout/sessions/{s['id']}/expire")
        self.assertEqual(status, 400)
        self.assertIn("message", err["error"])
        # Payer une session expirée : page d'erreur en français.
        status, _, body = http("POST", f"{self.base}/c/pay/{s['id']}/payer", b"",
                               opener=NOREDIRECT_OPENER)
        self.assertEqual(status, 410)
        self.assertIn("expiré", body.decode())

    def test_fail(self):
        s = self.create()
        status, _, body = http("POST", f"{self.base}/_test/sessions/{s['id']}/fail", b"")
        self.assertEqual(status, 200)
        recs = [r for r in self.worker.of_type("checkout.session.async_payment_failed")
                if json.loads(r["body"])["data"]["object"]["id"] == s["id"]]
        self.assertEqual(len(recs), 1)
        self.signed_event(recs[0])

    def test_refund(self):
        s = self.create()
        paid = json.loads(http("POST", f"{self.base}/_test/sessions/{s['id']}/pay", b"")[2])
        pi = paid["payment_intent"]
        status, ref = self.api("POST", "/v1/refunds", {"payment_intent": pi, "amount": "3000",
                                                      "metadata[motif]": "annulation"})
        self.assertEqual(status, 200, ref)
        self.assertTrue(ref["id"].startswith("re_"))
        self.assertEqual((ref["object"], ref["amount"], ref["currency"], ref["payment_intent"],
                          ref["status"]), ("refund", 3000, "eur", pi, "succeeded"))
        self.assertEqual(ref["metadata"], {"motif": "annulation"})
        status, ref2 = self.api("POST", "/v1/refunds", {"payment_intent": pi})
        self.assertEqual((status, ref2["amount"]), (200, 5900))
        recs = [r for r in self.worker.of_type("charge.refunded")
                if json.loads(r["body"])["data"]["object"]["payment_intent"] == pi]
        self.assertEqual(len(recs), 2)
        charge = self.signed_event(recs[-1])["data"]["object"]
        self.assertTrue(charge["id"].startswith("ch_"))
        self.assertEqual(charge["object"], "charge")
        self.assertEqual((charge["amount"], charge["amount_refunded"], charge["refunded"]),
                         (8900, 8900, True))
        self.assertEqual(charge["metadata"]["reservation_id"], "resa_42")
        status, err = self.api("POST", "/v1/refunds", {"payment_intent": pi})
        self.assertEqual((status, err["error"]["code"]), (400, "charge_already_refunded"))
        status, err = self.api("POST", "/v1/refunds", {"payment_intent": "pi_inconnu"})
        self.assertEqual(status, 404)

    def test_partial_refunds_report_the_cumulative_amount_refunded(self):
        s = self.create()
        paid = json.loads(http("POST", f"{self.base}/_test/sessions/{s['id']}/pay", b"")[2])
        pi = paid["payment_intent"]
        status, ref = self.api("POST", "/v1/refunds", {"payment_intent": pi, "amount": "1000"})
        self.assertEqual((status, ref["amount"]), (200, 1000))
        status, err = self.api("POST", "/v1/refunds", {"payment_intent": pi, "amount": "7901"})
        self.assertEqual((status, err["error"]["code"], err["error"]["param"]),
                         (400, "amount_too_large", "amount"))
        status, ref = self.api("POST", "/v1/refunds", {"payment_intent": pi, "amount": "7900"})
        self.assertEqual((status, ref["amount"]), (200, 7900))
        charges = [self.signed_event(r)["data"]["object"]
                   for r in self.worker.of_type("charge.refunded")
                   if json.loads(r["body"])["data"]["object"]["payment_intent"] == pi]
        self.assertEqual([(c["amount"], c["amount_refunded"], c["refunded"], c["currency"])
                          for c in charges],
                         [(8900, 1000, False, "eur"), (8900, 8900, True, "eur")])

    def test_resend(self):
        s = self.create()
        http("POST", f"{self.base}/_test/sessions/{s['id']}/pay", b"")
        rec = [r for r in self.worker.of_type("checkout.session.completed")
               if json.loads(r["body"])["data"]["object"]["id"] == s["id"]][0]
        ev_id = json.loads(rec["body"])["id"]
        time.sleep(1.05)  # pour que le nouvel horodatage diffère
        status, _, body = http("POST", f"{self.base}/_test/events/{ev_id}/resend", b"")
        self.assertEqual(status, 200)
        self.assertEqual(len(json.loads(body)["deliveries"]), 2)
        both = self.worker.for_event(ev_id)
        self.assertEqual(len(both), 2)
        self.assertEqual(both[0]["body"], both[1]["body"])
        t0 = verify_stripe_signature(both[0]["body"], both[0]["headers"]["Stripe-Signature"], SECRET)
        t1 = verify_stripe_signature(both[1]["body"], both[1]["headers"]["Stripe-Signature"], SECRET)
        self.assertGreater(t1, t0)
        status, _, _ = http("POST", f"{self.base}/_test/events/evt_inconnu/resend", b"")
        self.assertEqual(status, 404)

    def test_retry_when_worker_fails(self):
        s = self.create()
        with self.worker.lock:
            self.worker.statuses[:] = [500]
        http("POST", f"{self.base}/_test/sessions/{s['id']}/pay", b"")

        def deliveries():
            events = json.loads(http("GET", f"{self.base}/_test/events")[2])["data"]
            mine = [e for e in events if e["object_id"] == s["id"]]
            return mine[0] if mine and len(mine[0]["deliveries"]) >= 2 else None

        ev = wait_for(deliveries, timeout=6)
        self.assertIsNotNone(ev, "pas de nouvelle tentative")
        self.assertEqual([d["status"] for d in ev["deliveries"]], [500, 200])
        self.assertTrue(ev["delivered"])
        got = self.worker.for_event(ev["id"])
        self.assertEqual([r["status"] for r in got], [500, 200])
        self.assertEqual(got[0]["body"], got[1]["body"])
        for r in got:
            self.signed_event(r)


class FormParsingTest(unittest.TestCase):
    def test_brackets(self):
        body = urllib.parse.urlencode([
            ("line_items[0][price_data][unit_amount]", "100"),
            ("line_items[1][quantity]", "2"),
            ("metadata[reservation_id]", "r1"),
            ("expand[]", "a"), ("expand[]", "b"), ("mode", "payment")]).encode()
        self.assertEqual(stripe_standin.parse_form(body), {
            "line_items": [{"price_data": {"unit_amount": "100"}}, {"quantity": "2"}],
            "metadata": {"reservation_id": "r1"}, "expand": ["a", "b"], "mode": "payment"})

    def test_format_amount(self):
        self.assertEqual(stripe_standin.format_amount(8900, "eur"), "89,00 €")
        self.assertEqual(stripe_standin.format_amount(123456, "eur"), "1 234,56 €")


# --------------------------------------------------------------------------------------

class ServeurParClasse:
    """One stand-in server (`module.make_server`) per test class, at `cls.base`."""

    module = None

    @classmethod
    def setUpClass(cls):
        cls.server = cls.module.make_server("127.0.0.1", 0, quiet=True)
        start(cls.server)
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()


class MailStandinTest(ServeurParClasse, unittest.TestCase):
    module = mail_standin

    def setUp(self):
        http("DELETE", self.base + "/_test/messages")
        http("POST", self.base + "/_test/fail-next", {"count": 0, "status": 500})

    def send(self, body, key="re_test_key", idem=None):
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        if idem:
            headers["Idempotency-Key"] = idem
        status, _, raw = http("POST", self.base + "/emails", body, headers)
        return status, json.loads(raw)

    def messages(self):
        return json.loads(http("GET", self.base + "/_test/messages")[2])

    MSG = {"from": "Coach Martin <reservations@coach.example>", "to": "client@example.com",
           "subject": "Votre réservation est confirmée", "text": "Bonjour,\nÀ mardi !",
           "html": "<p>Bonjour,</p><script>alert(1)</script><p>À mardi &amp; merci</p>"}

    def test_auth(self):
        status, err = self.send(self.MSG, key=None)
        self.assertEqual(status, 401)
        self.assertEqual(err["statusCode"], 401)
        self.assertEqual(err["name"], "missing_api_key")
        self.assertIn("message", err)
        self.assertEqual(self.messages(), [])

    def test_validation(self):
        for bad in ({**self.MSG, "to": None}, {**self.MSG, "from": "pas-une-adresse"},
                    {**self.MSG, "subject": ""}, {**self.MSG, "html": None, "text": None},
                    {**self.MSG, "to": ["ok@example.com", 42]},
                    {**self.MSG, "attachments": [{"filename": "a.txt", "content": "!!!"}]}):
            status, err = self.send({k: v for k, v in bad.items() if v is not None})
            self.assertEqual(status, 422, bad)
            self.assertEqual((err["statusCode"], err["name"]), (422, "validation_error"))
        status, _, raw = http("POST", self.base + "/emails", b"{not json",
                              {"Authorization": "Bearer k", "Content-Type": "application/json"})
        self.assertEqual(status, 422)
        self.assertEqual(self.messages(), [])

    def test_store_and_attachments(self):
        ics = "BEGIN:VCALENDAR\r\nSUMMARY:Séance\r\nEND:VCALENDAR\r\n"
        pdf = b"%PDF-1.4\n\xff\xfe\x00binary"
        body = {**self.MSG, "to": ["client@example.com", "Autre <autre@example.com>"],
                "reply_to": "contact@coach.example", "headers": {"X-Reservation": "resa_42"},
                "attachments": [
                    {"filename": "rendez-vous.ics", "content": base64.b64encode(ics.encode()).decode(),
                     "content_type": "text/calendar"},
                    {"filename": "facture.pdf", "content": base64.b64encode(pdf).decode()}]}
        status, res = self.send(body)
        self.assertEqual(status, 200, res)
        self.assertRegex(res["id"], r"^[0-9a-f-]{36}$")
        self.send({**self.MSG, "subject": "Second message"})
        msgs = self.messages()
        self.assertEqual([m["subject"] for m in msgs],
                         ["Votre réservation est confirmée", "Second message"])  # le plus récent en dernier
        m = msgs[0]
        self.assertEqual(m["id"], res["id"])
        self.assertEqual(m["to"], ["client@example.com", "Autre <autre@example.com>"])
        self.assertEqual(m["reply_to"], ["contact@coach.example"])
        self.assertEqual(m["headers"], {"X-Reservation": "resa_42"})
        self.assertEqual(m["text"], self.MSG["text"])
        a0, a1 = m["attachments"]
        self.assertEqual((a0["filename"], a0["content_type"], a0["content"]),
                         ("rendez-vous.ics", "text/calendar", ics))
        self.assertEqual((a1["filename"], a1["content_type"], a1["content"]),
                         ("facture.pdf", "application/pdf", None))
        self.assertEqual(base64.b64decode(a1["content_base64"]), pdf)

        # Pages web.
        status, headers, page = http("GET", self.base + "/")
        page = page.decode()
        self.assertEqual(status, 200)
        self.assertIn("Votre réservation est confirmée", page)
        self.assertLess(page.index("Second message"), page.index("Votre réservation est confirmée"))
        self.assertIn(f"/messages/{m['id']}", page)
        status, headers, page = http("GET", f"{self.base}/messages/{m['id']}")
        page = page.decode()
        self.assertEqual(status, 200)
        self.assertIn("Votre réservation est confirmée", page)
        self.assertIn("À mardi !", page)
        self.assertIn("<iframe sandbox", page)
        self.assertNotIn("<script>alert(1)</script>", page)  # HTML échappé dans srcdoc
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)
        self.assertIn("&amp;amp;", page)
        self.assertIn(f"/messages/{m['id']}/attachments/1", page)
        status, headers, data = http("GET", f"{self.base}/messages/{m['id']}/attachments/1")
        self.assertEqual((status, headers["Content-Type"], data), (200, "application/pdf", pdf))
        self.assertIn("facture.pdf", headers["Content-Disposition"])
        status, headers, data = http("GET", f"{self.base}/messages/{m['id']}/attachments/0")
        self.assertEqual((headers["Content-Type"], data.decode()), ("text/calendar", ics))
        self.assertEqual(http("GET", f"{self.base}/messages/{m['id']}/attachments/9")[0], 404)
        self.assertEqual(http("GET", f"{self.base}/messages/inconnu")[0], 404)

        http("DELETE", self.base + "/_test/messages")
        self.assertEqual(self.messages(), [])

    def test_fail_next(self):
        status, _, _ = http("POST", self.base + "/_test/fail-next", {"count": 2, "status": 503})
        self.assertEqual(status, 200)
        for _ in range(2):
            status, err = self.send(self.MSG)
            self.assertEqual((status, err["statusCode"]), (503, 503))
            self.assertIn("name", err)
        self.assertEqual(self.messages(), [])
        status, res = self.send(self.MSG)
        self.assertEqual(status, 200)
        self.assertEqual(len(self.messages()), 1)

    def test_idempotency(self):
        s1, r1 = self.send(self.MSG, idem="resa_42/confirmation")
        s2, r2 = self.send(self.MSG, idem="resa_42/confirmation")
        self.assertEqual((s1, s2), (200, 200))
        self.assertEqual(r1["id"], r2["id"])
        self.assertEqual(len(self.messages()), 1)
        s3, r3 = self.send(self.MSG, idem="resa_42/rappel")
        self.assertNotEqual(r3["id"], r1["id"])
        self.assertEqual(len(self.messages()), 2)
        s4, err = self.send({**self.MSG, "subject": "Autre"}, idem="resa_42/confirmation")
        self.assertEqual(s4, 409)


# --------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AgendasStandinTest(ServeurParClasse, unittest.TestCase):
    module = agendas_standin

    def test_demo_calendar_is_built_for_today_with_its_events(self):
        status, headers, body = http("GET", self.base + "/demo/julien-morel.ics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/calendar"))
        texte = body.decode()
        self.assertTrue(texte.startswith("BEGIN:VCALENDAR\r\n"))
        self.assertIn("RRULE:FREQ=WEEKLY;BYDAY=TU", texte)
        self.assertIn("STATUS:CANCELLED", texte)
        self.assertIn("TRANSP:TRANSPARENT", texte)

    def test_a_stored_calendar_is_served_with_its_etag_and_a_304_when_unchanged(self):
        corps = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
        status, _, _ = http("PUT", self.base + "/x/perso.ics", corps)
        self.assertEqual(status, 204)
        status, headers, body = http("GET", self.base + "/x/perso.ics")
        self.assertEqual((status, body), (200, corps))
        etag = headers["ETag"]
        self.assertTrue(headers["Last-Modified"])
        status, _, body = http("GET", self.base + "/x/perso.ics", headers={"If-None-Match": etag})
        self.assertEqual((status, body), (304, b""))
        status, _, _ = http("GET", self.base + "/absent.ics")
        self.assertEqual(status, 404)
        status, _, raw = http("GET", self.base + "/_test/requetes")
        chemins = [r["chemin"] for r in json.loads(raw)]
        self.assertEqual(chemins.count("/x/perso.ics"), 2)


class CommandLineTest(unittest.TestCase):
    """Les deux scripts démarrent avec les options documentées et répondent."""

    def test_cli(self):
        sp, mp = free_port(), free_port()
        procs = [
            subprocess.Popen([sys.executable, os.path.join(HERE, "stripe.py"), "--port", str(sp),
                              "--webhook-url", "http://127.0.0.1:9/webhooks/stripe",
                              "--webhook-secret", "whsec_local",
                              "--public-url", f"http://localhost:{sp}", "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            subprocess.Popen([sys.executable, os.path.join(HERE, "mail.py"), "--port", str(mp),
                              "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        ]
        try:
            def up(port, path):
                try:
                    return http("GET", f"http://127.0.0.1:{port}{path}")[0]
                except OSError:
                    return None
            self.assertEqual(wait_for(lambda: up(sp, "/_test/sessions"), timeout=10), 200)
            self.assertEqual(wait_for(lambda: up(mp, "/"), timeout=10), 200)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


if __name__ == "__main__":
    unittest.main()
