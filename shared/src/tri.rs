//! Sorting, compiled once.
//!
//! The standard library's sorts are generic: each element type sorted somewhere brings its
//! own copy of the sorting routine (3 to 6 KB of Wasm each). Here a single routine sorts
//! positions with the comparison passed as a trait object, and the values are then put in
//! that order by swaps; only two small closures are compiled per element type.
//!
//! The sort is stable, like `slice::sort`: equal values keep their order.

use std::cmp::Ordering;

/// Sorts `valeurs` in ascending order.
pub fn trier<T: Ord>(valeurs: &mut [T]) {
    trier_par(valeurs, T::cmp);
}

/// Sorts `valeurs` by `comparer`; equal values keep their order.
pub fn trier_par<T>(valeurs: &mut [T], mut comparer: impl FnMut(&T, &T) -> Ordering) {
    let ordre = ordre(valeurs.len(), &mut |a, b| {
        comparer(&valeurs[a], &valeurs[b])
    });
    permuter(ordre, &mut |a, b| valeurs.swap(a, b));
}

/// The positions `0..n` in the order `comparer` gives them (stable).
fn ordre(n: usize, comparer: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut ordre: Vec<usize> = (0..n).collect();
    ordre.sort_by(|&a, &b| comparer(a, b));
    ordre
}

/// Puts the values in `ordre` (`ordre[k]` is the position of the value that goes to `k`)
/// by following each cycle of the permutation with `echanger`.
fn permuter(mut ordre: Vec<usize>, echanger: &mut dyn FnMut(usize, usize)) {
    for debut in 0..ordre.len() {
        let mut k = debut;
        loop {
            let suivant = ordre[k];
            // Marks `k` done: an outer step that reaches it again stops at once.
            ordre[k] = k;
            // The cycle closes: the value first at `debut` has been carried to `k`.
            if suivant == debut {
                break;
            }
            echanger(k, suivant);
            k = suivant;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_the_standard_library(mut valeurs in proptest::collection::vec(-50i64..50, 0..200)) {
            let mut attendu = valeurs.clone();
            attendu.sort();
            trier(&mut valeurs);
            prop_assert_eq!(valeurs, attendu);
        }

        #[test]
        fn equal_keys_keep_their_order(mut paires in proptest::collection::vec((0u8..5, any::<u32>()), 0..200)) {
            let mut attendu = paires.clone();
            attendu.sort_by_key(|p| p.0);
            trier_par(&mut paires, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(paires, attendu);
        }
    }

    #[test]
    fn owned_values_are_moved_not_copied() {
        let mut mots: Vec<String> = ["poire", "abricot", "figue", "abricot", ""]
            .iter()
            .map(|m| (*m).to_owned())
            .collect();
        trier(&mut mots);
        assert_eq!(mots, ["", "abricot", "abricot", "figue", "poire"]);
    }
}
