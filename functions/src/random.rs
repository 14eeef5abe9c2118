//! The platform's CSPRNG (crypto.getRandomValues in the Worker, the OS natively).

use booking_shared::ports::Random;

pub struct OsRandom;

impl Random for OsRandom {
    fn octets(&self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        // A failing CSPRNG leaves nothing safe to do: ids and secrets would be guessable.
        if getrandom::getrandom(&mut bytes).is_err() {
            panic!("no secure randomness available");
        }
        bytes
    }
}
