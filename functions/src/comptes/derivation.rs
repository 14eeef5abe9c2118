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

#[cfg(not(target_arch = "wasm32"))]
#[async_trait(?Send)]
impl Derivation for Pbkdf2 {
    async fn pbkdf2_sha256(
        &self,
        mot_de_passe: &[u8],
        sel: &[u8],
        iterations: u32,
    ) -> Result<[u8; LONGUEUR], String> {
        let mut sortie = [0u8; LONGUEUR];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(mot_de_passe, sel, iterations, &mut sortie);
        Ok(sortie)
    }
}

#[cfg(target_arch = "wasm32")]
#[async_trait(?Send)]
impl Derivation for Pbkdf2 {
    async fn pbkdf2_sha256(
        &self,
        mot_de_passe: &[u8],
        sel: &[u8],
        iterations: u32,
    ) -> Result<[u8; LONGUEUR], String> {
        webcrypto::pbkdf2_sha256(mot_de_passe, sel, iterations)
            .await
            .map_err(|e| format!("WebCrypto PBKDF2 : {e:?}"))
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
    fn pbkdf2_sha256_gives_the_rfc_7914_test_vectors() {
        // RFC 7914, section 11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64).
        assert_eq!(
            derive(b"passwd", b"salt", 1, 32),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
        // RFC 7914, section 11: P="Password", S="NaCl", c=80000, dkLen=64.
        assert_eq!(
            derive(b"Password", b"NaCl", 80000, 32),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        );
    }

    #[test]
    fn pbkdf2_sha256_gives_the_well_known_rfc_6070_style_vector() {
        // The SHA-256 counterpart of RFC 6070's first vector, as published with many
        // implementations (and given by WebCrypto's deriveBits for the same input).
        assert_eq!(
            derive(b"password", b"salt", 1, 32),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
        );
        assert_eq!(
            derive(b"password", b"salt", 4096, 32),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"
        );
    }
}
