use std::fmt;
use std::ops::{Add, Sub};

use serde::{Deserialize, Serialize};

use crate::store::Value;

/// An amount of money in euro cents: prices, deposits, payments, refunds. Integer cents
/// end to end (never a float), kept as D1 stores them.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Centimes(i64);

impl Centimes {
    pub const ZERO: Centimes = Centimes(0);

    pub const fn new(centimes: i64) -> Centimes {
        Centimes(centimes)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    pub fn est_nul(self) -> bool {
        self.0 == 0
    }
}

impl From<i64> for Centimes {
    fn from(centimes: i64) -> Self {
        Centimes(centimes)
    }
}

impl From<Centimes> for i64 {
    fn from(centimes: Centimes) -> Self {
        centimes.0
    }
}

impl From<Centimes> for Value {
    fn from(centimes: Centimes) -> Self {
        Value::Integer(centimes.0)
    }
}

impl Add for Centimes {
    type Output = Centimes;

    fn add(self, autre: Centimes) -> Centimes {
        Centimes(self.0 + autre.0)
    }
}

impl Sub for Centimes {
    type Output = Centimes;

    fn sub(self, autre: Centimes) -> Centimes {
        Centimes(self.0 - autre.0)
    }
}

impl fmt::Display for Centimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_reads_and_writes_as_a_bare_integer_of_cents() {
        let lu: Centimes = serde_json::from_str("8900").unwrap();
        assert_eq!(lu, Centimes::new(8900));
        assert_eq!(serde_json::to_string(&lu).unwrap(), "8900");
        assert!(serde_json::from_str::<Centimes>("89.5").is_err());
        assert!(serde_json::from_str::<Centimes>("\"8900\"").is_err());
        assert_eq!(Value::from(lu), Value::Integer(8900));
    }
}
