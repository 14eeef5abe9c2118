#!/usr/bin/env python3
"""Stand-in local d'agendas externes (adresses iCal secrètes de Google, Outlook, Apple).

Usage :
    python3 local-dev/standins/agendas.py --port 8790

Bibliothèque standard Python 3.11 uniquement, état en mémoire. Le Worker ne le lit que si
sa variable AGENDAS_HOTES_LOCAUX nomme son hôte et son port (développement local
seulement). Voir README.md dans ce dossier.

- GET /demo/<nom>.ics : un agenda de démonstration calculé pour aujourd'hui (Europe/Paris) :
  un rendez-vous hebdomadaire (RRULE), un rendez-vous ponctuel, une journée entière, un
  événement annulé et un événement « disponible » (ignorés par le Worker).
- PUT /<chemin>.ics : dépose le texte d'un agenda (corps de la requête ; il remplace aussi
  un agenda de démonstration) ; GET le sert, avec ETag et Last-Modified, et répond 304 à
  un GET conditionnel.
- GET /_test/requetes : les requêtes reçues (chemin, If-None-Match), pour les tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import hashlib
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERROU = threading.Lock()
AGENDAS: dict[str, tuple[bytes, str, str]] = {}
REQUETES: list[dict[str, str | None]] = []


def log(msg: str) -> None:
    sys.stderr.write(f"[agendas] {time.strftime('%H:%M:%S')} {msg}\n")


def demo(aujourdhui: dt.date) -> str:
    """Un agenda dont les heures occupées tombent dans les horaires des pros de démo."""
    j = lambda n: (aujourdhui + dt.timedelta(days=n)).strftime("%Y%m%d")  # noqa: E731
    # Le premier mardi à venir (au moins J+1).
    mardi = next(aujourdhui + dt.timedelta(days=n) for n in range(1, 8)
                 if (aujourdhui + dt.timedelta(days=n)).weekday() == 1)
    lignes = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Booking Multisite//Stand-in agendas//FR",
        "X-WR-CALNAME:Agenda personnel (démo)",
        "BEGIN:VEVENT", "UID:sport@demo", f"DTSTART;TZID=Europe/Paris:{mardi:%Y%m%d}T120000",
        f"DTEND;TZID=Europe/Paris:{mardi:%Y%m%d}T140000", "RRULE:FREQ=WEEKLY;BYDAY=TU",
        "SUMMARY:Sport", "END:VEVENT",
        "BEGIN:VEVENT", "UID:medecin@demo", f"DTSTART;TZID=Europe/Paris:{j(3)}T090000",
        f"DTEND;TZID=Europe/Paris:{j(3)}T110000", "SUMMARY:Médecin", "END:VEVENT",
        "BEGIN:VEVENT", "UID:seminaire@demo", f"DTSTART;VALUE=DATE:{j(9)}",
        f"DTEND;VALUE=DATE:{j(10)}", "SUMMARY:Séminaire", "END:VEVENT",
        "BEGIN:VEVENT", "UID:annule@demo", f"DTSTART;TZID=Europe/Paris:{j(4)}T100000",
        f"DTEND;TZID=Europe/Paris:{j(4)}T120000", "STATUS:CANCELLED", "END:VEVENT",
        "BEGIN:VEVENT", "UID:libre@demo", f"DTSTART;TZID=Europe/Paris:{j(4)}T140000",
        f"DTEND;TZID=Europe/Paris:{j(4)}T160000", "TRANSP:TRANSPARENT", "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(line + "\r\n" for line in lignes)


def deposer(chemin: str, corps: bytes) -> None:
    etag = '"' + hashlib.sha256(corps).hexdigest()[:16] + '"'
    modifie = email.utils.formatdate(time.time(), usegmt=True)
    with VERROU:
        AGENDAS[chemin] = (corps, etag, modifie)


class Handler(BaseHTTPRequestHandler):
    server_version = "agendas-standin/1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if not self.server.quiet:  # type: ignore[attr-defined]
            log(format % args)

    def repondre(self, status: int, corps: bytes = b"", type_: str = "text/plain; charset=utf-8",
                 entetes: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", type_)
        self.send_header("content-length", str(len(corps)))
        for nom, valeur in (entetes or {}).items():
            self.send_header(nom, valeur)
        self.end_headers()
        self.wfile.write(corps)

    def do_GET(self) -> None:  # noqa: N802
        chemin = self.path.split("?", 1)[0]
        if chemin == "/_test/requetes":
            with VERROU:
                corps = json.dumps(REQUETES).encode()
            return self.repondre(200, corps, "application/json")
        if chemin == "/healthz":
            return self.repondre(200, b"ok")
        with VERROU:
            REQUETES.append({"chemin": chemin, "if_none_match": self.headers.get("if-none-match")})
        with VERROU:
            entree = AGENDAS.get(chemin)
        if entree is None and chemin.startswith("/demo/") and chemin.endswith(".ics"):
            corps = demo(dt.date.today()).encode()
            etag = '"' + hashlib.sha256(corps).hexdigest()[:16] + '"'
            entree = (corps, etag, email.utils.formatdate(usegmt=True))
        if entree is None:
            return self.repondre(404, b"introuvable")
        corps, etag, modifie = entree
        if self.headers.get("if-none-match") == etag:
            return self.repondre(304, entetes={"etag": etag})
        self.repondre(200, corps, "text/calendar; charset=utf-8",
                      {"etag": etag, "last-modified": modifie})

    def do_PUT(self) -> None:  # noqa: N802
        chemin = self.path.split("?", 1)[0]
        if not chemin.endswith(".ics"):
            return self.repondre(400, b"un chemin en .ics")
        longueur = int(self.headers.get("content-length") or 0)
        deposer(chemin, self.rfile.read(longueur))
        self.repondre(204)


def make_server(host: str, port: int, quiet: bool = False) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), Handler)
    server.quiet = quiet  # type: ignore[attr-defined]
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    server = make_server(args.host, args.port, args.quiet)
    log(f"http://{args.host}:{args.port}")
    server.serve_forever()


if __name__ == "__main__":
    main()
