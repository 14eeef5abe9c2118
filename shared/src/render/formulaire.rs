//! The booking form's fields as the template draws them: the contact fields, then the
//! vertical's own, each with its entered value and its error kept.

use askama::filters::HtmlSafe;
use askama::Template;

use crate::vertical::{Champ, ErreurChamp, TypeChamp};

/// One choice of a select.
#[derive(Debug, Clone)]
pub struct OptionVue {
    pub valeur: String,
    pub libelle: String,
    pub choisie: bool,
}

/// One form field, ready to draw.
#[derive(Debug, Clone)]
pub struct ChampVue {
    /// The HTML `name` (and the answer's key).
    pub nom: String,
    /// The HTML `id`, unique in the page.
    pub id: String,
    pub libelle: String,
    /// `input`, `textarea` or `select`.
    pub genre: &'static str,
    /// The input's `type` (for `input`).
    pub type_html: &'static str,
    pub requis: bool,
    pub aide: Option<String>,
    /// An HTML `pattern` (anchors removed, valid with the `v` flag).
    pub motif: Option<String>,
    pub motif_message: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub longueur_max: Option<usize>,
    pub autocomplete: Option<&'static str>,
    pub valeur: String,
    pub options: Vec<OptionVue>,
    /// The French message shown next to the field.
    pub erreur: Option<String>,
    /// The ids of the help and error texts, for `aria-describedby`.
    pub decrit_par: String,
}

/// One field, rendered by one shared template (`_champ.html`) whichever page shows it
/// (the booking form, an offer of the waitlist): an include would copy it into each.
#[derive(Template)]
#[template(path = "_champ.html", whitespace = "minimize")]
pub struct ChampRendu<'a> {
    champ: &'a ChampVue,
}

// HTML the template escaped already: pages write it as it is.
impl HtmlSafe for ChampRendu<'_> {}

impl ChampVue {
    /// The field's HTML.
    pub fn rendu(&self) -> ChampRendu<'_> {
        ChampRendu { champ: self }
    }

    fn nouveau(nom: &str, libelle: &str, genre: &'static str, type_html: &'static str) -> Self {
        ChampVue {
            nom: nom.to_owned(),
            id: format!("champ-{nom}"),
            libelle: libelle.to_owned(),
            genre,
            type_html,
            requis: false,
            aide: None,
            motif: None,
            motif_message: None,
            min: None,
            max: None,
            longueur_max: None,
            autocomplete: None,
            valeur: String::new(),
            options: Vec::new(),
            erreur: None,
            decrit_par: String::new(),
        }
    }

    fn remplir(mut self, valeurs: &[(String, String)], erreurs: &[ErreurChamp]) -> Self {
        if let Some((_, v)) = valeurs.iter().find(|(k, _)| *k == self.nom) {
            self.valeur = v.clone();
        }
        for option in &mut self.options {
            option.choisie = option.valeur == self.valeur;
        }
        let messages: Vec<&str> = erreurs
            .iter()
            .filter(|e| e.champ == self.nom)
            .map(|e| e.message.as_str())
            .collect();
        if !messages.is_empty() {
            self.erreur = Some(messages.join(" "));
        }
        let mut ids = Vec::new();
        if self.aide.is_some() {
            ids.push(format!("aide-{}", self.nom));
        }
        if self.erreur.is_some() {
            ids.push(format!("erreur-{}", self.nom));
        }
        self.decrit_par = ids.join(" ");
        self
    }
}

fn nombre(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn depuis_champ(champ: &Champ) -> ChampVue {
    let (genre, type_html) = match champ.type_champ() {
        TypeChamp::Textarea => ("textarea", "text"),
        TypeChamp::Select => ("select", "text"),
        TypeChamp::Text => ("input", "text"),
        TypeChamp::Email => ("input", "email"),
        TypeChamp::Tel => ("input", "tel"),
        TypeChamp::Number => ("input", "number"),
        TypeChamp::Date => ("input", "date"),
    };
    let mut vue = ChampVue::nouveau(champ.nom(), champ.libelle(), genre, type_html);
    vue.requis = champ.requis();
    vue.aide = champ.aide().map(str::to_owned);
    vue.motif = champ.motif().map(motif_html);
    vue.motif_message = champ.motif_message().map(str::to_owned);
    vue.min = champ.min().map(nombre);
    vue.max = champ.max().map(nombre);
    vue.longueur_max = champ.longueur_max();
    vue.options = champ
        .options()
        .iter()
        .map(|o| OptionVue {
            valeur: o.valeur().to_owned(),
            libelle: o.libelle().to_owned(),
            choisie: false,
        })
        .collect();
    vue
}

/// The contact fields every booking form has.
fn champs_contact() -> Vec<ChampVue> {
    let mut nom = ChampVue::nouveau("nom", "Nom et prénom", "input", "text");
    nom.requis = true;
    nom.autocomplete = Some("name");
    nom.longueur_max = Some(100);
    let mut email = ChampVue::nouveau("email", "Adresse e-mail", "input", "email");
    email.requis = true;
    email.autocomplete = Some("email");
    email.aide =
        Some("La confirmation et le lien pour gérer votre rendez-vous y seront envoyés.".into());
    let mut telephone = ChampVue::nouveau("telephone", "Téléphone", "input", "tel");
    telephone.requis = true;
    telephone.autocomplete = Some("tel");
    let mut message = ChampVue::nouveau("message", "Message (facultatif)", "textarea", "text");
    message.longueur_max = Some(crate::reservation::MESSAGE_MAX);
    vec![nom, email, telephone, message]
}

/// Every field of the booking form, in order, with the values entered and their errors.
pub fn champs_reservation(
    champs: &[Champ],
    valeurs: &[(String, String)],
    erreurs: &[ErreurChamp],
) -> Vec<ChampVue> {
    champs_contact()
        .into_iter()
        .chain(champs.iter().map(depuis_champ))
        .map(|c| c.remplir(valeurs, erreurs))
        .collect()
}

/// The booking form's fields an offer of the waitlist asks when taken: all but the name
/// and the address, which the entry already holds.
pub fn champs_offre(
    champs: &[Champ],
    valeurs: &[(String, String)],
    erreurs: &[ErreurChamp],
) -> Vec<ChampVue> {
    champs_reservation(champs, valeurs, erreurs)
        .into_iter()
        .filter(|c| c.nom != "nom" && c.nom != "email")
        .collect()
}

/// A configured pattern for the HTML `pattern` attribute, which browsers anchor
/// themselves and compile with the `v` flag: outer `^…$` removed and a literal `-` at the
/// edge of a character class escaped (a syntax error under `v`, which would disable it).
pub fn motif_html(source: &str) -> String {
    let sans_debut = source.strip_prefix('^').unwrap_or(source);
    let sans_ancres = match sans_debut.strip_suffix('$') {
        Some(s) if !s.ends_with('\\') => s,
        _ => sans_debut,
    };
    let caracteres: Vec<char> = sans_ancres.chars().collect();
    let mut sortie = String::new();
    let mut dans_classe = false;
    let mut debut_classe = 0;
    let mut i = 0;
    while i < caracteres.len() {
        let c = caracteres[i];
        if c == '\\' {
            sortie.push(c);
            if let Some(suivant) = caracteres.get(i + 1) {
                sortie.push(*suivant);
            }
            i += 2;
            continue;
        }
        if !dans_classe && c == '[' {
            dans_classe = true;
            sortie.push(c);
            if caracteres.get(i + 1) == Some(&'^') {
                sortie.push('^');
                i += 1;
            }
            debut_classe = i + 1;
        } else if dans_classe && c == ']' {
            dans_classe = false;
            sortie.push(c);
        } else if dans_classe && c == '-' {
            let au_bord = i == debut_classe || caracteres.get(i + 1) == Some(&']');
            sortie.push_str(if au_bord { "\\-" } else { "-" });
        } else {
            sortie.push(c);
        }
        i += 1;
    }
    sortie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_made_valid_for_the_html_attribute() {
        assert_eq!(
            motif_html("^[A-Za-z]{2}[- ]?[0-9]{3}[- ]?[A-Za-z]{2}$"),
            "[A-Za-z]{2}[\\- ]?[0-9]{3}[\\- ]?[A-Za-z]{2}"
        );
        assert_eq!(motif_html("[^-a]x[b-]"), "[^\\-a]x[b\\-]");
        assert_eq!(motif_html("a\\$"), "a\\$");
    }

    #[test]
    fn entered_values_and_errors_are_kept_per_field() {
        let erreurs = vec![ErreurChamp {
            champ: "email".into(),
            code: "email_invalide",
            message: "Adresse invalide.".into(),
        }];
        let valeurs = vec![("email".to_owned(), "pas-un-mail".to_owned())];
        let champs = champs_reservation(&[], &valeurs, &erreurs);
        let email = champs.iter().find(|c| c.nom == "email").unwrap();
        assert_eq!(email.valeur, "pas-un-mail");
        assert_eq!(email.erreur.as_deref(), Some("Adresse invalide."));
        assert_eq!(email.decrit_par, "aide-email erreur-email");
        assert!(champs
            .iter()
            .find(|c| c.nom == "nom")
            .unwrap()
            .erreur
            .is_none());
    }
}
