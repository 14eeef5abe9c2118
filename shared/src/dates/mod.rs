//! Dates and times as text, in the few shapes the project reads and writes: `AAAA-MM-JJ`,
//! `HH:MM`, a local date-time `AAAA-MM-JJTHH:MM`, an RFC 3339 instant, and iCalendar's basic
//! form `AAAAMMJJTHHMMSS[Z]`.
//!
//! Each reader accepts and refuses exactly what chrono's `parse_from_str` (with the format
//! named on it) or `parse_from_rfc3339` did, leniencies included: a numeric field takes one
//! digit or more up to its width, spaces before it, and a year may carry a sign; the tests
//! hold them to chrono's parsers. Written by hand over chrono's constructors so that the
//! Worker carries no format-string machinery (strftime items, `Parsed`).

use std::fmt::Write;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Timelike, Utc,
};

#[cfg(test)]
mod tests;

/// A text read from the left, one field after another.
struct Lecture<'a>(&'a str);

impl Lecture<'_> {
    /// A numeric field as chrono reads one: whitespace skipped, then 1 to `largeur` ASCII
    /// digits.
    fn nombre(&mut self, largeur: usize) -> Option<i64> {
        let s = self.0.trim_start();
        let n = s
            .bytes()
            .take(largeur)
            .take_while(u8::is_ascii_digit)
            .count();
        if n == 0 {
            return None;
        }
        let mut valeur = 0i64;
        for b in s[..n].bytes() {
            valeur = valeur.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
        }
        self.0 = &s[n..];
        Some(valeur)
    }

    /// A year as chrono's `%Y` reads it: whitespace skipped, then four digits at most, or a
    /// sign and any number of them.
    fn annee(&mut self) -> Option<i32> {
        self.0 = self.0.trim_start();
        let valeur = if self.litteral('-') {
            -self.nombre_sans_espace(usize::MAX)?
        } else if self.litteral('+') {
            self.nombre_sans_espace(usize::MAX)?
        } else {
            self.nombre(4)?
        };
        i32::try_from(valeur).ok()
    }

    /// Digits right here: after a sign, chrono skips no space.
    fn nombre_sans_espace(&mut self, largeur: usize) -> Option<i64> {
        if self.0.starts_with(char::is_whitespace) {
            return None;
        }
        self.nombre(largeur)
    }

    fn litteral(&mut self, c: char) -> bool {
        match self.0.strip_prefix(c) {
            Some(reste) => {
                self.0 = reste;
                true
            }
            None => false,
        }
    }

    fn date(&mut self) -> Option<NaiveDate> {
        let annee = self.annee()?;
        self.litteral('-').then_some(())?;
        let mois = self.nombre(2)?;
        self.litteral('-').then_some(())?;
        let jour = self.nombre(2)?;
        NaiveDate::from_ymd_opt(annee, u32::try_from(mois).ok()?, u32::try_from(jour).ok()?)
    }

    fn heure(&mut self) -> Option<NaiveTime> {
        let heures = self.nombre(2)?;
        self.litteral(':').then_some(())?;
        let minutes = self.nombre(2)?;
        NaiveTime::from_hms_opt(u32::try_from(heures).ok()?, u32::try_from(minutes).ok()?, 0)
    }

    /// `valeur` if nothing is left to read.
    fn fin<T>(&self, valeur: Option<T>) -> Option<T> {
        valeur.filter(|_| self.0.is_empty())
    }
}

/// A date `AAAA-MM-JJ`, as chrono's `NaiveDate::parse_from_str(texte, "%Y-%m-%d")`.
pub fn lire_date(texte: &str) -> Option<NaiveDate> {
    let mut lecture = Lecture(texte);
    let date = lecture.date();
    lecture.fin(date)
}

/// A time `HH:MM`, as chrono's `NaiveTime::parse_from_str(texte, "%H:%M")`.
pub fn lire_heure(texte: &str) -> Option<NaiveTime> {
    let mut lecture = Lecture(texte);
    let heure = lecture.heure();
    lecture.fin(heure)
}

/// A local date and time `AAAA-MM-JJTHH:MM` or `AAAA-MM-JJ HH:MM`, as chrono's
/// `NaiveDateTime::parse_from_str` with either format (the space may be any whitespace,
/// or none).
pub fn lire_date_heure(texte: &str) -> Option<NaiveDateTime> {
    let mut lecture = Lecture(texte);
    let date = lecture.date();
    if !lecture.litteral('T') {
        lecture.0 = lecture.0.trim_start();
    }
    let heure = lecture.heure();
    lecture.fin(date.zip(heure).map(|(d, h)| d.and_time(h)))
}

/// An RFC 3339 instant, as chrono's `DateTime::parse_from_rfc3339`: `T`, `t` or a space
/// between date and time, seconds required (60 for a leap second), any fraction, and `Z`,
/// `z` or an offset `±HH:MM` (`−`, the minus sign, too) below 24 hours.
pub fn lire_rfc3339(texte: &str) -> Option<DateTime<FixedOffset>> {
    let octets = texte.as_bytes();
    let chiffres = |debut: usize, n: usize| -> Option<u32> {
        let champ = octets.get(debut..debut + n)?;
        champ.iter().try_fold(0u32, |v, b| {
            b.is_ascii_digit().then(|| v * 10 + u32::from(b - b'0'))
        })
    };
    let separe = |i: usize, permis: &[u8]| octets.get(i).is_some_and(|b| permis.contains(b));
    if octets.len() < 19 {
        return None;
    }
    let annee = chiffres(0, 4)?;
    separe(4, b"-").then_some(())?;
    let mois = chiffres(5, 2)?;
    separe(7, b"-").then_some(())?;
    let jour = chiffres(8, 2)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(annee).ok()?, mois, jour)?;
    separe(10, b"tT ").then_some(())?;
    let heures = chiffres(11, 2)?;
    separe(13, b":").then_some(())?;
    let minutes = chiffres(14, 2)?;
    separe(16, b":").then_some(())?;
    let (secondes, mut nanos) = match chiffres(17, 2)? {
        60 => (59, 1_000_000_000),
        s => (s, 0),
    };
    let mut reste = &texte[19..];
    if let Some(fraction) = reste.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        // Nanoseconds: the first nine digits, the others dropped.
        let lus = n.min(9);
        let valeur = chiffres(20, lus)?;
        nanos += valeur * 10u32.pow(9 - lus as u32);
        reste = &fraction[n..];
    }
    let heure = NaiveTime::from_hms_nano_opt(heures, minutes, secondes, nanos)?;
    let decalage = match reste {
        "Z" | "z" => 0,
        _ => {
            let (negatif, hhmm) = if let Some(r) = reste.strip_prefix('+') {
                (false, r)
            } else if let Some(r) = reste.strip_prefix('-').or(reste.strip_prefix('−')) {
                (true, r)
            } else {
                return None;
            };
            let o = hhmm.as_bytes();
            let chiffre = |b: u8| b.is_ascii_digit().then(|| i32::from(b - b'0'));
            let [h1, h2, b':', m1 @ b'0'..=b'5', m2] = *o else {
                return None;
            };
            let secondes =
                (chiffre(h1)? * 10 + chiffre(h2)?) * 3600 + (chiffre(m1)? * 10 + chiffre(m2)?) * 60;
            if negatif {
                -secondes
            } else {
                secondes
            }
        }
    };
    let fuseau = FixedOffset::east_opt(decalage)?;
    fuseau.from_local_datetime(&date.and_time(heure)).single()
}

/// A time as `HH:MM` (seconds dropped).
pub fn hh_mm(heure: NaiveTime) -> String {
    format!("{:02}:{:02}", heure.hour(), heure.minute())
}

/// An instant in RFC 3339 with its offset, as chrono's `to_rfc3339`: the fraction of a
/// second only when there is one, `+00:00` rather than `Z`.
pub fn rfc3339<Tz: TimeZone>(instant: &DateTime<Tz>) -> String {
    ecrire_rfc3339(instant, true)
}

/// The same to the second, as chrono's `to_rfc3339_opts(SecondsFormat::Secs, false)`:
/// `2026-03-29T10:00:00+02:00`.
pub fn rfc3339_secondes<Tz: TimeZone>(instant: &DateTime<Tz>) -> String {
    ecrire_rfc3339(instant, false)
}

fn ecrire_rfc3339<Tz: TimeZone>(instant: &DateTime<Tz>, fraction: bool) -> String {
    let (mut texte, nanos) = date_heure(instant.naive_local(), true);
    if fraction && nanos != 0 {
        let _ = match nanos {
            n if n % 1_000_000 == 0 => write!(texte, ".{:03}", n / 1_000_000),
            n if n % 1_000 == 0 => write!(texte, ".{:06}", n / 1_000),
            n => write!(texte, ".{n:09}"),
        };
    }
    let decalage = instant.offset().fix().local_minus_utc();
    let signe = if decalage < 0 { '-' } else { '+' };
    // To the nearest minute, as chrono writes it.
    let minutes = (decalage.unsigned_abs() + 30) / 60;
    let _ = write!(texte, "{signe}{:02}:{:02}", minutes / 60, minutes % 60);
    texte
}

/// A local date and time to the second as chrono writes them, `2026-03-05T09:05:07` or,
/// without separators, `20260305T090507`; and the nanoseconds left over. The year has four
/// digits from 0 to 9999, else a sign and at least four; a leap second (chrono's
/// nanoseconds past 10⁹) is second 60.
fn date_heure(local: NaiveDateTime, separateurs: bool) -> (String, u32) {
    let mut texte = String::with_capacity(32);
    let annee = local.year();
    let _ = if (0..=9999).contains(&annee) {
        write!(texte, "{annee:04}")
    } else {
        write!(texte, "{annee:+05}")
    };
    let (secondes, nanos) = match local.nanosecond() {
        n if n >= 1_000_000_000 => (local.second() + 1, n - 1_000_000_000),
        n => (local.second(), n),
    };
    let (tiret, deux_points) = if separateurs { ("-", ":") } else { ("", "") };
    let _ = write!(
        texte,
        "{tiret}{:02}{tiret}{:02}T{:02}{deux_points}{:02}{deux_points}{secondes:02}",
        local.month(),
        local.day(),
        local.hour(),
        local.minute()
    );
    (texte, nanos)
}

/// An iCalendar UTC date-time (RFC 5545 §3.3.5, form 2): `20260305T093000Z`.
pub fn ics_utc(instant: DateTime<Utc>) -> String {
    let mut texte = ics_local(instant.naive_utc());
    texte.push('Z');
    texte
}

/// An iCalendar local date-time (form 1, with a `TZID` beside it): `20260305T103000`.
pub fn ics_local(local: NaiveDateTime) -> String {
    date_heure(local, false).0
}
