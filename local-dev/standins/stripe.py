#!/usr/bin/env python3
"""Stand-in local de l'API Stripe (sous-ensemble Checkout + remboursements + webhooks).

Usage :
    python3 local-dev/standins/stripe.py --port 12111 \
        --webhook-url http://localhost:8787/webhooks/stripe --webhook-secret whsec_local \
        [--public-url http://localhost:12111]

Bibliothèque standard Python 3.11 uniquement. État en mémoire, protégé par un verrou.
Voir README.md dans ce dossier.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import hmac
import html
import json
import re
import secrets
import string
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_VERSION = "2024-06-20"
DEFAULT_RETRY_DELAYS = (1.0, 2.0, 4.0)
WEBHOOK_TIMEOUT = 10.0
_ALNUM = string.ascii_letters + string.digits
ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf",
                "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
MIN_AMOUNT = {"eur": 50, "usd": 50, "gbp": 30, "chf": 50, "cad": 50}

# Paramètres acceptés par POST /v1/checkout/sessions (les autres sont refusés comme le
# fait Stripe : « Received unknown parameter »). La plupart sont acceptés et ignorés.
SESSION_PARAMS = {
    "after_expiration", "allow_promotion_codes", "automatic_tax", "billing_address_collection",
    "cancel_url", "client_reference_id", "consent_collection", "currency", "custom_fields",
    "custom_text", "customer", "customer_creation", "customer_email", "customer_update",
    "discounts", "expand", "expires_at", "invoice_creation", "line_items", "locale",
    "metadata", "mode", "payment_intent_data", "payment_method_collection",
    "payment_method_configuration", "payment_method_options", "payment_method_types",
    "phone_number_collection", "redirect_on_completion", "return_url",
    "saved_payment_method_options", "setup_intent_data", "shipping_address_collection",
    "shipping_options", "submit_type", "subscription_data", "success_url",
    "tax_id_collection", "ui_mode",
}
REFUND_PARAMS = {"payment_intent", "charge", "amount", "reason", "metadata", "expand",
                 "instructions_email", "refund_application_fee", "reverse_transfer"}


def rand_id(prefix: str, n: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(n))


def log(msg: str) -> None:
    sys.stderr.write(f"[stripe] {time.strftime('%H:%M:%S')} {msg}\n")
    sys.stderr.flush()


class StripeError(Exception):
    """Erreur rendue au format JSON de Stripe."""

    def __init__(self, status: int, message: str, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.param = param

    def to_json(self) -> dict:
        err = {"type": self.type, "message": self.message}
        if self.code:
            err["code"] = self.code
        if self.param:
            err["param"] = self.param
        return {"error": err}


def missing(param: str) -> StripeError:
    return StripeError(400, f"Missing required param: {param}.", code="parameter_missing",
                       param=param)


def invalid(param: str, message: str) -> StripeError:
    return StripeError(400, message, code="parameter_invalid", param=param)


# --------------------------------------------------------------------------------------
# Corps form-encoded avec la notation à crochets de Stripe.

_KEY_RE = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def _split_key(key: str) -> list[str]:
    m = _KEY_RE.match(key)
    if not m:
        return [key]
    return [m.group(1)] + re.findall(r"\[([^\[\]]*)\]", m.group(2))


def _listify(node):
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


def parse_form(body: bytes) -> dict:
    """`a[b][0][c]=1&e[]=x` → {"a": {"b": [{"c": "1"}]}, "e": ["x"]}."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise StripeError(400, "Invalid request body: not valid UTF-8.")
    root: dict = {}
    for key, value in urllib.parse.parse_qsl(text, keep_blank_values=True):
        parts = _split_key(key)
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":
                part = str(len(node))
            if last:
                if isinstance(node.get(part), dict):
                    raise invalid(key, f"Invalid value for {key}: it is both a value and a hash.")
                node[part] = value
            else:
                child = node.get(part)
                if child is None or child == "":
                    # `metadata=` (vide) suivi de `metadata[x]=` : le hash l'emporte.
                    child = node[part] = {}
                elif not isinstance(child, dict):
                    raise invalid(key, f"Invalid value for {key}: it is both a value and a hash.")
                node = child
    return _listify(root)


def _as_int(value, param: str, minimum: int | None = None) -> int:
    if isinstance(value, (dict, list)) or value is None or not re.fullmatch(r"-?\d+", str(value)):
        raise invalid(param, f"Invalid integer: {value if isinstance(value, str) else '(hash)'}")
    n = int(value)
    if minimum is not None and n < minimum:
        raise invalid(param, f"This value must be greater than or equal to {minimum}.")
    return n


def _as_metadata(value, param: str = "metadata") -> dict:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise invalid(param, "Invalid hash")
    if len(value) > 50:
        raise invalid(param, "You can specify up to 50 keys in metadata.")
    out = {}
    for k, v in value.items():
        if not isinstance(v, str):
            raise invalid(f"{param}[{k}]", "Metadata values must be strings.")
        if len(k) > 40:
            raise invalid(f"{param}[{k}]", "Metadata keys can have up to 40 characters.")
        if len(v) > 500:
            raise invalid(f"{param}[{k}]", "Metadata values can have up to 500 characters.")
        if v != "":
            out[k] = v
    return out


def _check_unknown(params: dict, allowed: set[str]) -> None:
    for k in params:
        if k not in allowed:
            raise StripeError(400, f"Received unknown parameter: {k}", code="parameter_unknown",
                              param=k)


def _check_url(params: dict, name: str, required: bool) -> str | None:
    value = params.get(name)
    if value in (None, ""):
        if required:
            raise missing(name)
        return None
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value):
        raise StripeError(400, "Not a valid URL", code="url_invalid", param=name)
    return value


def format_amount(amount: int, currency: str) -> str:
    """89,00 € — format français (espace simple avant le symbole)."""
    cur = (currency or "").lower()
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if cur in ZERO_DECIMAL:
        num = f"{amount:,}".replace(",", " ")
    else:
        units, cents = divmod(amount, 100)
        num = f"{units:,}".replace(",", " ") + f",{cents:02d}"
    symbol = {"eur": "€", "usd": "$", "gbp": "£", "chf": "CHF", "cad": "$ CA"}.get(cur, cur.upper())
    return f"{sign}{num} {symbol}"


# --------------------------------------------------------------------------------------
# État et logique métier.

class StripeState:
    def __init__(self, webhook_url: str | None, webhook_secret: str, public_url: str,
                 retry_delays=DEFAULT_RETRY_DELAYS, quiet: bool = False):
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.public_url = public_url.rstrip("/")
        self.retry_delays = tuple(retry_delays)
        self.quiet = quiet
        self.lock = threading.RLock()
        self.sessions: dict[str, dict] = {}       # id → {"obj": session, "items": [...]}
        self.intents: dict[str, dict] = {}        # pi_… → paiement
        self.charges: dict[str, str] = {}         # ch_… → pi_…
        self.refunds: dict[str, dict] = {}
        self.events: dict[str, dict] = {}         # evt_… → {"event", "payload", "deliveries"}
        self.idempotency: dict[tuple, dict] = {}
        self._stop = threading.Event()
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def log(self, msg: str) -> None:
        if not self.quiet:
            log(msg)

    # -- sessions ------------------------------------------------------------------

    def create_session(self, params: dict) -> dict:
        _check_unknown(params, SESSION_PARAMS)
        mode = params.get("mode")
        if not mode:
            raise missing("mode")
        if mode not in ("payment", "setup", "subscription"):
            raise invalid("mode", f"Invalid mode: must be one of payment, setup, or subscription")
        if mode != "payment":
            raise invalid("mode", "This stand-in only supports mode=payment.")
        if params.get("ui_mode") not in (None, "hosted"):
            raise invalid("ui_mode", "This stand-in only supports ui_mode=hosted.")
        success_url = _check_url(params, "success_url", required=True)
        cancel_url = _check_url(params, "cancel_url", required=False)

        raw_items = params.get("line_items")
        if raw_items in (None, "", []):
            raise missing("line_items")
        if not isinstance(raw_items, list):
            raise invalid("line_items", "Invalid array")
        items, currency, total = [], None, 0
        for i, it in enumerate(raw_items):
            p = f"line_items[{i}]"
            if not isinstance(it, dict):
                raise invalid(p, "Invalid hash")
            if it.get("price"):
                raise StripeError(404, f"No such price: '{it['price']}'", code="resource_missing",
                                  param=f"{p}[price]")
            pd = it.get("price_data")
            if not isinstance(pd, dict):
                raise missing(f"{p}[price_data]")
            cur = pd.get("currency")
            if not cur:
                raise missing(f"{p}[price_data][currency]")
            cur = str(cur).lower()
            if not re.fullmatch(r"[a-z]{3}", cur):
                raise invalid(f"{p}[price_data][currency]", f"Invalid currency: {cur}")
            if pd.get("unit_amount") is not None:
                unit = _as_int(pd["unit_amount"], f"{p}[price_data][unit_amount]", 0)
            elif pd.get("unit_amount_decimal") is not None:
                try:
                    unit = int(round(float(pd["unit_amount_decimal"])))
                except ValueError:
                    raise invalid(f"{p}[price_data][unit_amount_decimal]", "Invalid decimal")
            else:
                raise missing(f"{p}[price_data][unit_amount]")
            prod = pd.get("product_data")
            if pd.get("product"):
                prod = {"name": f"Produit {pd['product']}"}
            if not isinstance(prod, dict):
                raise missing(f"{p}[price_data][product_data]")
            if not prod.get("name"):
                raise missing(f"{p}[price_data][product_data][name]")
            if it.get("quantity") in (None, ""):
                raise missing(f"{p}[quantity]")
            qty = _as_int(it["quantity"], f"{p}[quantity]", 1)
            if currency and cur != currency:
                raise invalid(f"{p}[price_data][currency]",
                              "All line items must have the same currency.")
            currency = cur
            total += unit * qty
            items.append({"name": str(prod["name"]), "description": prod.get("description") or "",
                          "unit_amount": unit, "quantity": qty, "currency": cur})
        minimum = MIN_AMOUNT.get(currency)
        if minimum is not None and total < minimum:
            raise StripeError(400, "The Checkout Session's total amount due must add up to at least "
                              f"{format_amount(minimum, currency)}", code="amount_too_small")

        now = int(time.time())
        if params.get("expires_at") not in (None, ""):
            expires_at = _as_int(params["expires_at"], "expires_at")
            if not (now + 30 * 60 - 5 <= expires_at <= now + 24 * 3600 + 5):
                raise invalid("expires_at", "The `expires_at` timestamp must be between 30 minutes "
                              "and 24 hours from Checkout Session creation.")
        else:
            expires_at = now + 24 * 3600
        cref = params.get("client_reference_id") or None
        if cref is not None and len(cref) > 200:
            raise invalid("client_reference_id", "client_reference_id is too long (max 200).")
        email = params.get("customer_email") or None
        if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", str(email)):
            raise StripeError(400, f"Invalid email address: {email}", code="email_invalid",
                              param="customer_email")
        metadata = _as_metadata(params.get("metadata"))
        pid = params.get("payment_intent_data") or {}
        pi_metadata = _as_metadata(pid.get("metadata"), "payment_intent_data[metadata]") \
            if isinstance(pid, dict) else {}

        sid = rand_id("cs_test_", 58)
        obj = {
            "id": sid,
            "object": "checkout.session",
            "after_expiration": None,
            "amount_subtotal": total,
            "amount_total": total,
            "cancel_url": cancel_url,
            "client_reference_id": cref,
            "created": now,
            "currency": currency,
            "customer": None,
            "customer_details": None,
            "customer_email": email,
            "expires_at": expires_at,
            "livemode": False,
            "locale": params.get("locale") or None,
            "metadata": metadata,
            "mode": mode,
            "payment_intent": None,
            "payment_method_types": params.get("payment_method_types") or ["card"],
            "payment_status": "unpaid",
            "status": "open",
            "success_url": success_url,
            "ui_mode": "hosted",
            "url": f"{self.public_url}/c/pay/{sid}",
        }
        with self.lock:
            self.sessions[sid] = {"obj": obj, "items": items, "pi_metadata": pi_metadata}
            self.log(f"session créée {sid} ({format_amount(total, currency)}, "
                     f"client_reference_id={cref})")
            return copy.deepcopy(obj)

    def get_session(self, sid: str) -> dict:
        with self.lock:
            rec = self.sessions.get(sid)
            if rec is None:
                raise StripeError(404, f"No such checkout.session: '{sid}'",
                                  code="resource_missing", param="session")
            return copy.deepcopy(rec["obj"])

    def session_record(self, sid: str) -> dict | None:
        with self.lock:
            rec = self.sessions.get(sid)
            return copy.deepcopy(rec) if rec else None

    def expire_session(self, sid: str, reason: str = "api") -> dict:
        with self.lock:
            rec = self.sessions.get(sid)
            if rec is None:
                raise StripeError(404, f"No such checkout.session: '{sid}'",
                                  code="resource_missing", param="session")
            obj = rec["obj"]
            if obj["status"] != "open":
                raise StripeError(400, f"Only Checkout Sessions with a status in [\"open\"] can be "
                                  f"expired. This Checkout Session has a status of "
                                  f"\"{obj['status']}\".", code="checkout_session_not_open")
            obj["status"] = "expired"
            obj["url"] = None
            snapshot = copy.deepcopy(obj)
        self.log(f"session expirée {sid} ({reason})")
        self.send_event("checkout.session.expired", snapshot)
        return snapshot

    def _new_intent(self, rec: dict, status: str) -> str:
        obj = rec["obj"]
        pi = rand_id("pi_")
        ch = rand_id("ch_") if status == "succeeded" else None
        metadata = dict(obj["metadata"])
        metadata.update(rec.get("pi_metadata") or {})
        self.intents[pi] = {"id": pi, "session": obj["id"], "amount": obj["amount_total"],
                            "currency": obj["currency"], "status": status, "charge": ch,
                            "amount_refunded": 0, "metadata": metadata,
                            "email": obj.get("customer_email"), "created": int(time.time())}
        if ch:
            self.charges[ch] = pi
        return pi

    def pay_session(self, sid: str, deliver: bool = True) -> tuple[dict, bool]:
        """Paie la session. Renvoie (session, nouvellement_payée). Lève StripeError.
        Sans `deliver`, l'événement est enregistré mais pas envoyé (webhook en retard :
        `/_test/events/{id}/resend` le livrera)."""
        with self.lock:
            rec = self.sessions.get(sid)
            if rec is None:
                raise StripeError(404, f"No such checkout.session: '{sid}'",
                                  code="resource_missing", param="session")
            obj = rec["obj"]
            if obj["status"] == "complete" and obj["payment_status"] == "paid":
                return copy.deepcopy(obj), False
            if obj["status"] != "open":
                raise StripeError(400, f"This Checkout Session is no longer active "
                                  f"(status \"{obj['status']}\").", code="checkout_session_not_open")
            obj["payment_intent"] = self._new_intent(rec, "succeeded")
            obj["status"] = "complete"
            obj["payment_status"] = "paid"
            obj["url"] = None
            obj["customer_details"] = {"email": obj.get("customer_email"), "name": None,
                                       "phone": None, "address": None, "tax_exempt": "none",
                                       "tax_ids": []}
            snapshot = copy.deepcopy(obj)
        self.log(f"session payée {sid} → {snapshot['payment_intent']}")
        self.send_event("checkout.session.completed", snapshot, deliver=deliver)
        return snapshot, True

    def fail_session(self, sid: str) -> dict:
        with self.lock:
            rec = self.sessions.get(sid)
            if rec is None:
                raise StripeError(404, f"No such checkout.session: '{sid}'",
                                  code="resource_missing", param="session")
            obj = rec["obj"]
            if obj["status"] != "open" and not (obj["status"] == "complete"
                                                and obj["payment_status"] == "unpaid"):
                raise StripeError(400, f"This Checkout Session cannot fail (status "
                                  f"\"{obj['status']}\", payment_status "
                                  f"\"{obj['payment_status']}\").",
                                  code="checkout_session_not_open")
            if not obj["payment_intent"]:
                obj["payment_intent"] = self._new_intent(rec, "requires_payment_method")
            obj["status"] = "complete"
            obj["payment_status"] = "unpaid"
            obj["url"] = None
            snapshot = copy.deepcopy(obj)
        self.log(f"paiement échoué {sid}")
        self.send_event("checkout.session.async_payment_failed", snapshot)
        return snapshot

    def sweep_expired(self) -> None:
        now = int(time.time())
        with self.lock:
            due = [sid for sid, r in self.sessions.items()
                   if r["obj"]["status"] == "open" and r["obj"]["expires_at"] <= now]
        for sid in due:
            try:
                self.expire_session(sid, reason="expires_at atteint")
            except StripeError:
                pass

    # -- paiements et remboursements ----------------------------------------------

    def _charge_obj(self, pi: dict) -> dict:
        return {
            "id": pi["charge"], "object": "charge", "amount": pi["amount"],
            "amount_captured": pi["amount"], "amount_refunded": pi["amount_refunded"],
            "billing_details": {"email": pi["email"], "name": None, "phone": None,
                                "address": None},
            "captured": True, "created": pi["created"], "currency": pi["currency"],
            "livemode": False, "metadata": dict(pi["metadata"]), "paid": True,
            "payment_intent": pi["id"], "receipt_email": pi["email"],
            "refunded": pi["amount_refunded"] >= pi["amount"], "status": "succeeded",
        }

    def get_intent(self, pid: str) -> dict:
        with self.lock:
            pi = self.intents.get(pid)
            if pi is None:
                raise StripeError(404, f"No such payment_intent: '{pid}'", code="resource_missing",
                                  param="intent")
            return {"id": pi["id"], "object": "payment_intent", "amount": pi["amount"],
                    "amount_received": pi["amount"] if pi["status"] == "succeeded" else 0,
                    "currency": pi["currency"], "status": pi["status"],
                    "latest_charge": pi["charge"], "metadata": dict(pi["metadata"]),
                    "created": pi["created"], "livemode": False}

    def create_refund(self, params: dict) -> dict:
        _check_unknown(params, REFUND_PARAMS)
        with self.lock:
            pid = params.get("payment_intent") or None
            ch = params.get("charge") or None
            if not pid and not ch:
                raise StripeError(400, "One of the following params should be provided for this "
                                  "request: payment_intent or charge.", code="parameter_missing",
                                  param="payment_intent")
            if ch and not pid:
                pid = self.charges.get(ch)
                if pid is None:
                    raise StripeError(404, f"No such charge: '{ch}'", code="resource_missing",
                                      param="charge")
            pi = self.intents.get(pid)
            if pi is None:
                raise StripeError(404, f"No such payment_intent: '{pid}'", code="resource_missing",
                                  param="payment_intent")
            if pi["status"] != "succeeded":
                raise StripeError(400, f"This PaymentIntent ({pid}) does not have a successful "
                                  "charge to refund.", code="charge_not_refundable")
            remaining = pi["amount"] - pi["amount_refunded"]
            if remaining <= 0:
                raise StripeError(400, f"Charge {pi['charge']} has already been refunded.",
                                  code="charge_already_refunded")
            if params.get("amount") not in (None, ""):
                amount = _as_int(params["amount"], "amount", 1)
                if amount > remaining:
                    raise StripeError(400, f"Refund amount ({format_amount(amount, pi['currency'])}) "
                                      "is greater than unrefunded amount on charge "
                                      f"({format_amount(remaining, pi['currency'])})",
                                      code="amount_too_large", param="amount")
            else:
                amount = remaining
            reason = params.get("reason") or None
            if reason not in (None, "duplicate", "fraudulent", "requested_by_customer"):
                raise invalid("reason", "Invalid reason: must be one of duplicate, fraudulent, "
                              "or requested_by_customer")
            pi["amount_refunded"] += amount
            refund = {"id": rand_id("re_"), "object": "refund", "amount": amount,
                      "charge": pi["charge"], "created": int(time.time()),
                      "currency": pi["currency"], "metadata": _as_metadata(params.get("metadata")),
                      "payment_intent": pid, "reason": reason, "status": "succeeded"}
            self.refunds[refund["id"]] = refund
            charge = self._charge_obj(pi)
            out = copy.deepcopy(refund)
        self.log(f"remboursement {out['id']} de {format_amount(amount, out['currency'])} sur {pid}")
        self.send_event("charge.refunded", charge)
        return out

    def get_refund(self, rid: str) -> dict:
        with self.lock:
            r = self.refunds.get(rid)
            if r is None:
                raise StripeError(404, f"No such refund: '{rid}'", code="resource_missing",
                                  param="id")
            return copy.deepcopy(r)

    # -- idempotence --------------------------------------------------------------

    def idempotent(self, api_key: str, key: str | None, method: str, path: str, body: bytes, fn):
        """Exécute fn() → (status, dict) une seule fois par clé ; rejoue la réponse ensuite."""
        if not key:
            return fn() + (False,)
        digest = hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()
        slot = (api_key, key)
        with self.lock:
            prev = self.idempotency.get(slot)
            if prev is None:
                prev = self.idempotency[slot] = {"digest": digest, "done": threading.Event(),
                                                 "result": None}
                owner = True
            else:
                owner = False
        if not owner:
            if prev["digest"] != digest:
                return 400, StripeError(400, "Keys for idempotent requests can only be used with "
                                        "the same parameters they were first used with. Try using "
                                        "a key other than '" + key + "' if you meant to execute "
                                        "a different request.", type="idempotency_error"
                                        ).to_json(), False
            prev["done"].wait(30)
            if prev["result"] is None:
                return 409, StripeError(409, "There is currently another in-progress request "
                                        "using this Idempotent Key.", type="idempotency_error"
                                        ).to_json(), False
            status, obj = prev["result"]
            return status, copy.deepcopy(obj), True
        try:
            status, obj = fn()
        except BaseException:
            with self.lock:
                self.idempotency.pop(slot, None)
            prev["done"].set()
            raise
        if status >= 500:
            with self.lock:
                self.idempotency.pop(slot, None)
        else:
            prev["result"] = (status, copy.deepcopy(obj))
        prev["done"].set()
        return status, obj, False

    # -- webhooks -----------------------------------------------------------------

    def send_event(self, type_: str, data_object: dict, deliver: bool = True) -> dict:
        event = {
            "id": rand_id("evt_"), "object": "event", "api_version": API_VERSION,
            "created": int(time.time()), "data": {"object": data_object}, "livemode": False,
            "pending_webhooks": 1, "request": {"id": None, "idempotency_key": None},
            "type": type_,
        }
        payload = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        rec = {"event": event, "payload": payload, "deliveries": [], "sending": False}
        with self.lock:
            self.events[event["id"]] = rec
        if deliver:
            self.deliver(rec)
        return rec

    def resend_event(self, event_id: str) -> dict:
        with self.lock:
            rec = self.events.get(event_id)
        if rec is None:
            raise StripeError(404, f"No such event: '{event_id}'", code="resource_missing",
                              param="id")
        self.log(f"réémission de {event_id}")
        self.deliver(rec)
        return self.event_summary(rec)

    def sign(self, payload: bytes, t: int) -> str:
        mac = hmac.new(self.webhook_secret.encode("utf-8"), f"{t}.".encode() + payload,
                       hashlib.sha256).hexdigest()
        return f"t={t},v1={mac}"

    def _attempt(self, rec: dict) -> bool:
        ev = rec["event"]
        t = int(time.time())
        entry = {"at": t, "url": self.webhook_url, "status": None, "ok": False, "error": None,
                 "response": None, "duration_ms": None}
        if not self.webhook_url:
            entry["error"] = "aucune --webhook-url configurée"
            with self.lock:
                entry["attempt"] = len(rec["deliveries"]) + 1
                rec["deliveries"].append(entry)
            return True   # rien à réessayer
        req = urllib.request.Request(self.webhook_url, data=rec["payload"], method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "Stripe-Signature": self.sign(rec["payload"], t),
                                              "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                                              "Cache-Control": "no-cache",
                                              "Accept": "*/*; q=0.5, application/xml"})
        start = time.monotonic()
        try:
            with self._opener.open(req, timeout=WEBHOOK_TIMEOUT) as resp:
                entry["status"] = resp.status
                entry["response"] = resp.read(1000).decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            entry["status"] = e.code
            try:
                entry["response"] = e.read(1000).decode("utf-8", "replace")
            except Exception:
                pass
        except Exception as e:  # injoignable, délai dépassé…
            entry["error"] = f"{type(e).__name__}: {e}"
        entry["duration_ms"] = int((time.monotonic() - start) * 1000)
        entry["ok"] = entry["status"] is not None and 200 <= entry["status"] < 300
        with self.lock:
            entry["attempt"] = len(rec["deliveries"]) + 1
            rec["deliveries"].append(entry)
        self.log(f"webhook {ev['type']} {ev['id']} → "
                 f"{entry['status'] if entry['status'] is not None else entry['error']}")
        return entry["ok"]

    def deliver(self, rec: dict) -> None:
        """Première tentative synchrone, puis nouvelles tentatives en arrière-plan."""
        if self._attempt(rec) or not self.retry_delays:
            return

        def retry():
            for delay in self.retry_delays:
                if self._stop.wait(delay):
                    return
                if self._attempt(rec):
                    return
            self.log(f"webhook {rec['event']['id']} abandonné après "
                     f"{len(self.retry_delays) + 1} tentatives")

        threading.Thread(target=retry, name=f"retry-{rec['event']['id']}", daemon=True).start()

    def event_summary(self, rec: dict) -> dict:
        with self.lock:
            d = copy.deepcopy(rec["deliveries"])
            ev = copy.deepcopy(rec["event"])
        return {"id": ev["id"], "type": ev["type"], "created": ev["created"],
                "object_id": ev["data"]["object"].get("id"),
                "delivered": any(x["ok"] for x in d),
                "last_status": d[-1]["status"] if d else None,
                "deliveries": d, "event": ev}

    def list_events(self) -> list[dict]:
        with self.lock:
            recs = list(self.events.values())
        return [self.event_summary(r) for r in recs]

    def reset(self) -> None:
        with self.lock:
            for attr in ("sessions", "intents", "charges", "refunds", "events", "idempotency"):
                getattr(self, attr).clear()


# --------------------------------------------------------------------------------------
# Pages hébergées (français).

PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f6f8fa;color:#1a1f36;
margin:0;display:flex;justify-content:center;padding:3rem 1rem}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem;
max-width:28rem;width:100%}
h1{font-size:1.2rem;margin:0 0 1rem}.montant{font-size:2rem;font-weight:600;margin:.5rem 0 1.5rem}
ul{padding-left:1.2rem}.muted{color:#6b7280;font-size:.9rem}
.boutons{display:flex;gap:.75rem;margin-top:1.5rem}form{margin:0}
button{font-size:1rem;padding:.7rem 1.4rem;border-radius:8px;border:1px solid #d1d5db;cursor:pointer;
background:#fff}button.payer{background:#635bff;color:#fff;border-color:#635bff}
.avertissement{background:#fff7ed;border:1px solid #fdba74;border-radius:8px;padding:.5rem .75rem;
font-size:.85rem}.erreur{color:#b91c1c}
"""


def page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>"
            f"<body><main>{body}</main></body></html>").encode("utf-8")


def checkout_page(rec: dict) -> bytes:
    obj = rec["obj"]
    e = html.escape
    amount = format_amount(obj["amount_total"], obj["currency"])
    items = "".join(
        f"<li>{e(it['name'])}"
        + (f" × {it['quantity']}" if it["quantity"] != 1 else "")
        + f" — {e(format_amount(it['unit_amount'] * it['quantity'], it['currency']))}"
        + (f"<br><span class=\"muted\">{e(it['description'])}</span>" if it["description"] else "")
        + "</li>" for it in rec["items"])
    email = obj.get("customer_email")
    head = ("<p class=\"avertissement\">Environnement local de test — aucun paiement réel "
            "n’est effectué.</p>")
    if obj["status"] == "expired":
        return page("Session expirée", head + "<h1 class=\"erreur\">Cette session de paiement a "
                    "expiré</h1><p>Le délai pour payer est dépassé. Revenez sur le site pour "
                    "recommencer votre réservation.</p>")
    if obj["status"] == "complete":
        ok = obj["payment_status"] == "paid"
        link = obj["success_url"].replace("{CHECKOUT_SESSION_ID}", obj["id"])
        return page("Paiement", head + (
            f"<h1>Paiement déjà effectué</h1><p>Montant réglé : <strong>{e(amount)}</strong></p>"
            if ok else "<h1 class=\"erreur\">Le paiement a échoué</h1>")
            + f"<p><a href=\"{e(link)}\">Retour au site</a></p>")
    body = (head + "<h1>Paiement sécurisé</h1>"
            f"<div class=\"montant\">{e(amount)}</div>"
            f"<ul>{items}</ul>"
            + (f"<p>Adresse e-mail : <strong>{e(email)}</strong></p>" if email else "")
            + "<div class=\"boutons\">"
            "<form method=\"post\" action=\"" + e(obj["id"]) + "/payer\">"
            "<button class=\"payer\" type=\"submit\">Payer</button></form>"
            "<form method=\"post\" action=\"" + e(obj["id"]) + "/annuler\">"
            "<button type=\"submit\">Annuler</button></form></div>"
            f"<p class=\"muted\">Référence : {e(obj['id'])}</p>")
    return page(f"Payer {amount}", body)


# --------------------------------------------------------------------------------------
# Serveur HTTP.

class Handler(BaseHTTPRequestHandler):
    server_version = "StripeStandin/1.0"
    state: StripeState  # défini par make_server

    def log_message(self, fmt, *args):  # journal d'accès minimal
        if not self.state.quiet:
            log(f"{self.command} {self.path} → {args[1] if len(args) > 1 else ''}")

    # -- outils -------------------------------------------------------------------

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
        self.send_header("Request-Id", rand_id("req_", 14))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj, extra: dict | None = None):
        body = json.dumps(obj, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
        self._send(status, body, "application/json", extra)

    def _html(self, status: int, body: bytes):
        self._send(status, body, "text/html; charset=utf-8")

    def _redirect(self, url: str):
        self._send(303, b"", "text/plain", {"Location": url})

    def _api_key(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        key = None
        if auth.startswith("Bearer "):
            key = auth[7:].strip()
        elif auth.startswith("Basic "):
            try:
                key = base64.b64decode(auth[6:].strip()).decode().split(":", 1)[0]
            except Exception:
                key = None
        return key if key and key.startswith("sk_") else None

    def _unauthorized(self):
        auth = self.headers.get("Authorization")
        msg = ("You did not provide an API key. You need to provide your API key in the "
               "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
               if not auth else "Invalid API Key provided: expected a secret key starting with sk_")
        self._json(401, {"error": {"type": "invalid_request_error", "message": msg}},
                   {"WWW-Authenticate": 'Basic realm="Stripe"'})

    # -- routage ------------------------------------------------------------------

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method: str):
        path = urllib.parse.urlsplit(self.path).path.rstrip("/") or "/"
        try:
            if path.startswith("/v1/"):
                self._api(method, path)
            elif path.startswith("/c/pay/"):
                self._hosted(method, path)
            elif path.startswith("/_test/"):
                self._test_hooks(method, path)
            elif path == "/" and method == "GET":
                self._html(200, page("Stand-in Stripe", "<h1>Stand-in Stripe local</h1>"
                                     "<p>API : <code>/v1/…</code> — sessions : "
                                     "<a href=\"/_test/sessions\">/_test/sessions</a> — "
                                     "événements : <a href=\"/_test/events\">/_test/events</a></p>"))
            else:
                self._json(404, {"error": {"type": "invalid_request_error", "message":
                                           f"Unrecognized request URL ({method}: {path})."}})
        except StripeError as e:
            self._json(e.status, e.to_json())
        except Exception as e:  # pragma: no cover - ne doit pas arriver
            log(f"erreur interne : {type(e).__name__}: {e}")
            self._json(500, {"error": {"type": "api_error", "message": "Internal stand-in error."}})

    def _api(self, method: str, path: str):
        body = self._body() if method == "POST" else b""
        api_key = self._api_key()
        if api_key is None:
            return self._unauthorized()
        st = self.state
        m = re.fullmatch(r"/v1/checkout/sessions(?:/([^/]+)(?:/(expire))?)?", path)
        if m:
            sid, action = m.group(1), m.group(2)
            if method == "POST" and sid is None:
                return self._post(api_key, path, body, lambda p: (200, st.create_session(p)))
            if method == "GET" and sid and not action:
                return self._json(200, st.get_session(sid))
            if method == "POST" and sid and action == "expire":
                return self._post(api_key, path, body, lambda p: (200, st.expire_session(sid)))
        if path == "/v1/refunds" and method == "POST":
            return self._post(api_key, path, body, lambda p: (200, st.create_refund(p)))
        m = re.fullmatch(r"/v1/refunds/([^/]+)", path)
        if m and method == "GET":
            return self._json(200, st.get_refund(m.group(1)))
        m = re.fullmatch(r"/v1/payment_intents/([^/]+)", path)
        if m and method == "GET":
            return self._json(200, st.get_intent(m.group(1)))
        m = re.fullmatch(r"/v1/events/([^/]+)", path)
        if m and method == "GET":
            with st.lock:
                rec = st.events.get(m.group(1))
                ev = copy.deepcopy(rec["event"]) if rec else None
            if ev is None:
                raise StripeError(404, f"No such event: '{m.group(1)}'", code="resource_missing",
                                  param="id")
            return self._json(200, ev)
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")

    def _post(self, api_key: str, path: str, body: bytes, fn):
        def run():
            try:
                return fn(parse_form(body))
            except StripeError as e:
                return e.status, e.to_json()
        status, obj, replayed = self.state.idempotent(
            api_key, self.headers.get("Idempotency-Key"), "POST", path, body, run)
        extra = {"Idempotent-Replayed": "true"} if replayed else {}
        if self.headers.get("Idempotency-Key"):
            extra["Idempotency-Key"] = self.headers["Idempotency-Key"]
        self._json(status, obj, extra)

    def _hosted(self, method: str, path: str):
        m = re.fullmatch(r"/c/pay/([^/]+)(?:/(payer|annuler))?", path)
        st = self.state
        rec = st.session_record(m.group(1)) if m else None
        if rec is None:
            return self._html(404, page("Session introuvable", "<h1 class=\"erreur\">Session de "
                                        "paiement introuvable</h1><p>Ce lien de paiement n’existe "
                                        "pas ou plus.</p>"))
        action = m.group(2)
        if method == "GET" and not action:
            return self._html(200, checkout_page(rec))
        if method != "POST" or not action:
            return self._html(405, page("Méthode non autorisée",
                                        "<h1>Méthode non autorisée</h1>"))
        self._body()
        obj = rec["obj"]
        if action == "annuler":
            if obj["cancel_url"]:
                return self._redirect(obj["cancel_url"])
            return self._html(200, page("Paiement annulé", "<h1>Paiement annulé</h1><p>Vous pouvez "
                                        "fermer cette page.</p>"))
        try:
            session, _ = st.pay_session(obj["id"])
        except StripeError:
            current = st.session_record(obj["id"])
            status = current["obj"]["status"] if current else "?"
            if status == "expired":
                return self._html(410, page("Session expirée", "<h1 class=\"erreur\">Paiement "
                                            "impossible : la session a expiré</h1><p>Le délai "
                                            "pour payer est dépassé. Revenez sur le site pour "
                                            "recommencer votre réservation.</p>"))
            return self._html(409, page("Paiement impossible", "<h1 class=\"erreur\">Paiement "
                                        "impossible</h1><p>Cette session de paiement n’est plus "
                                        "active.</p>"))
        return self._redirect(session["success_url"].replace("{CHECKOUT_SESSION_ID}",
                                                             session["id"]))

    def _test_hooks(self, method: str, path: str):
        st = self.state
        if method == "POST":
            self._body()
        m = re.fullmatch(r"/_test/sessions/([^/]+)/(pay|fail|expire)", path)
        if m and method == "POST":
            sid, action = m.groups()
            if action == "pay":
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                deliver = query.get("deliver", ["1"])[0] != "0"
                return self._json(200, st.pay_session(sid, deliver=deliver)[0])
            if action == "fail":
                return self._json(200, st.fail_session(sid))
            return self._json(200, st.expire_session(sid, reason="/_test"))
        m = re.fullmatch(r"/_test/events/([^/]+)/resend", path)
        if m and method == "POST":
            return self._json(200, st.resend_event(m.group(1)))
        if path == "/_test/events" and method == "GET":
            return self._json(200, {"object": "list", "data": st.list_events()})
        if path == "/_test/sessions" and method == "GET":
            with st.lock:
                data = [copy.deepcopy(r["obj"]) for r in st.sessions.values()]
            return self._json(200, {"object": "list", "data": data})
        if path == "/_test/reset" and method == "POST":
            st.reset()
            return self._json(200, {"ok": True})
        raise StripeError(404, f"Unrecognized request URL ({method}: {path}).")


class StripeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, state: StripeState):
        handler = type("BoundHandler", (Handler,), {"state": state})
        super().__init__(addr, handler)
        self.state = state
        self._sweeper = threading.Thread(target=self._sweep, name="stripe-sweeper", daemon=True)
        self._sweeper.start()

    def _sweep(self):
        while not self.state._stop.wait(2.0):
            try:
                self.state.sweep_expired()
            except Exception as e:  # pragma: no cover
                log(f"balayage : {e}")

    def shutdown(self):
        self.state._stop.set()
        super().shutdown()


def make_server(host: str = "127.0.0.1", port: int = 12111, *, webhook_url: str | None = None,
                webhook_secret: str = "whsec_local", public_url: str | None = None,
                retry_delays=DEFAULT_RETRY_DELAYS, quiet: bool = False) -> StripeServer:
    state = StripeState(webhook_url, webhook_secret, public_url or "", retry_delays, quiet)
    server = StripeServer((host, port), state)
    if not public_url:
        state.public_url = f"http://localhost:{server.server_address[1]}"
    return server


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Stand-in local de l'API Stripe (Checkout, "
                                 "remboursements, webhooks signés).")
    ap.add_argument("--port", type=int, default=12111, help="port d'écoute (défaut 12111)")
    ap.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (défaut 127.0.0.1)")
    ap.add_argument("--webhook-url", default="http://localhost:8787/webhooks/stripe",
                    help="URL du Worker qui reçoit les webhooks (vide : aucun envoi)")
    ap.add_argument("--webhook-secret", default="whsec_local",
                    help="secret de signature des webhooks (STRIPE_WEBHOOK_SECRET du Worker)")
    ap.add_argument("--public-url", default=None,
                    help="URL publique des pages de paiement (défaut http://localhost:PORT)")
    ap.add_argument("--retry-delays", default="1,2,4",
                    help="délais en secondes entre les nouvelles tentatives (défaut 1,2,4)")
    ap.add_argument("--quiet", action="store_true", help="pas de journal")
    args = ap.parse_args(argv)
    delays = tuple(float(x) for x in args.retry_delays.split(",") if x.strip())
    server = make_server(args.host, args.port, webhook_url=args.webhook_url or None,
                         webhook_secret=args.webhook_secret, public_url=args.public_url,
                         retry_delays=delays, quiet=args.quiet)
    port = server.server_address[1]
    print(f"Stand-in Stripe à l'écoute sur http://{args.host}:{port} "
          f"(webhooks → {args.webhook_url or 'aucun'})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.state._stop.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
