//! PBKDF2-HMAC-SHA256 for passwords: WebCrypto in the Worker (native code, within the CPU
//! budget), the pure-Rust `pbkdf2` crate natively (tests, the `create-admin` command).
//! Both give the same bytes (tested on RFC 7914's vectors natively; the e2e tests sign
//! in on workerd with a hash made natively).

use async_trait::async_trait;

use booking_shared::comptes::mot_de_passe::{Derivation, LONGUEUR};

/// The platform's implementation.
pub fn plateforme() -> &'static dyn Derivation {
    &Pbkdf2
}

pub struct Pbkdf2;

#[async_trait(?Send)]
impl Derivation for Pbkdf2 {
    async fn pbkdf2_sha256(
        &self,
        mot_de_passe: &[u8],
        sel: &[u8],
        iterations: u32,
    ) -> Result<[u8; LONGUEUR], String> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut sortie = [0u8; LONGUEUR];
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(mot_de_passe, sel, iterations, &mut sortie);
            Ok(sortie)
        }
        #[cfg(target_arch = "wasm32")]
        {
            webcrypto::pbkdf2_sha256(mot_de_passe, sel, iterations)
                .await
                .map_err(|e| format!("WebCrypto PBKDF2 : {e:?}"))
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod webcrypto {
    use worker::js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
    use worker::wasm_bindgen::{JsCast, JsValue};
    use worker::wasm_bindgen_futures::JsFuture;

    use super::LONGUEUR;

    fn methode(objet: &JsValue, nom: &str) -> Result<Function, JsValue> {
        Reflect::get(objet, &JsValue::from_str(nom))?.dyn_into::<Function>()
    }

    async fn attendre(valeur: JsValue) -> Result<JsValue, JsValue> {
        JsFuture::from(valeur.dyn_into::<Promise>()?).await
    }

    pub async fn pbkdf2_sha256(
        mot_de_passe: &[u8],
        sel: &[u8],
        iterations: u32,
    ) -> Result<[u8; LONGUEUR], JsValue> {
        let global = worker::js_sys::global();
        let crypto = Reflect::get(&global, &JsValue::from_str("crypto"))?;
        let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle"))?;
        let cle = attendre(methode(&subtle, "importKey")?.apply(
            &subtle,
            &Array::of5(
                &JsValue::from_str("raw"),
                &Uint8Array::from(mot_de_passe).into(),
                &JsValue::from_str("PBKDF2"),
                &JsValue::FALSE,
                &Array::of1(&JsValue::from_str("deriveBits")).into(),
            ),
        )?)
        .await?;
        let parametres = Object::new();
        Reflect::set(&parametres, &"name".into(), &"PBKDF2".into())?;
        Reflect::set(&parametres, &"hash".into(), &"SHA-256".into())?;
        Reflect::set(&parametres, &"salt".into(), &Uint8Array::from(sel).into())?;
        Reflect::set(
            &parametres,
            &"iterations".into(),
            &JsValue::from_f64(f64::from(iterations)),
        )?;
        let bits = attendre(methode(&subtle, "deriveBits")?.call3(
            &subtle,
            &parametres,
            &cle,
            &JsValue::from_f64((LONGUEUR * 8) as f64),
        )?)
        .await?;
        let octets = Uint8Array::new(&bits).to_vec();
        octets
            .try_into()
            .map_err(|_| JsValue::from_str("longueur inattendue"))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use futures::executor::block_on;

    fn derive(p: &[u8], s: &[u8], c: u32, n: usize) -> String {
        let sortie = block_on(Pbkdf2.pbkdf2_sha256(p, s, c));
        hex::encode(&sortie.unwrap()[..n])
    }

    #[test]
    fn pbkdf2_sha256_gives_the_published_test_vectors() {
        let vecteurs: [(&[u8], &[u8], u32, &str); 4] = [
            // RFC 7914, section 11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64).
            (
                b"passwd",
                b"salt",
                1,
                "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc",
            ),
            // RFC 7914, section 11: P="Password", S="NaCl", c=80000, dkLen=64.
            (
                b"Password",
                b"NaCl",
                80000,
                "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56",
            ),
            // The SHA-256 counterpart of RFC 6070's first vectors, as published with many
            // implementations (and given by WebCrypto's deriveBits for the same input).
            (
                b"password",
                b"salt",
                1,
                "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b",
            ),
            (
                b"password",
                b"salt",
                4096,
                "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a",
            ),
        ];
        for (p, s, c, attendu) in vecteurs {
            assert_eq!(derive(p, s, c, 32), attendu, "c={c}");
        }
    }

    // The hashing rules, on the real derivation.
    use booking_shared::comptes::mot_de_passe::{hacher, verifier, Empreinte};

    #[test]
    fn a_hash_keeps_its_parameters_and_only_the_right_password_matches() {
        let e = block_on(hacher(&Pbkdf2, "correct horse 42", [9; 16])).unwrap();
        assert_eq!(e.algorithme, "pbkdf2-sha256");
        assert_eq!(e.iterations, 100_000);
        assert_eq!(e.sel, "09".repeat(16));
        assert!(block_on(verifier(&Pbkdf2, "correct horse 42", &e)).unwrap());
        assert!(!block_on(verifier(&Pbkdf2, "correct horse 43", &e)).unwrap());
        assert!(!e.a_renforcer());
    }

    #[test]
    fn the_same_password_with_two_salts_gives_two_hashes() {
        let a = block_on(hacher(&Pbkdf2, "motdepasse1", [1; 16])).unwrap();
        let b = block_on(hacher(&Pbkdf2, "motdepasse1", [2; 16])).unwrap();
        assert_ne!(a.hash, b.hash);
    }

    #[test]
    fn a_cheaper_or_unknown_hash_is_to_be_strengthened_and_columns_must_all_be_there() {
        let e =
            Empreinte::depuis_colonnes(Some("pbkdf2-sha256"), Some(10_000), Some("00"), Some("11"))
                .unwrap();
        assert!(e.a_renforcer());
        assert!(Empreinte::depuis_colonnes(None, Some(1), Some("00"), Some("11")).is_none());
        assert!(Empreinte::depuis_colonnes(Some("x"), Some(-1), Some("00"), Some("11")).is_none());
        let inconnu = Empreinte {
            algorithme: "md5".into(),
            ..e
        };
        assert!(!block_on(verifier(&Pbkdf2, "x", &inconnu)).unwrap());
    }
}
