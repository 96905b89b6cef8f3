//! The crate's one fast, deterministic hasher: a wyhash-like function over byte strings
//! ([`hash_bytes`]: fixed-size, possibly overlapping reads, one multiply per 16 bytes) and a
//! [`FastHasher`] built on it for the hash maps of the indicator engine, the DECP reader and
//! the planner. Not DoS-resistant, which does not matter for in-process aggregation of the
//! caller's own data; deterministic, so outputs never depend on a random seed.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub(crate) const K1: u64 = 0x9E37_79B9_7F4A_7C15;
pub(crate) const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;
pub(crate) const K3: u64 = 0x1656_67B1_9E37_79F9;

/// Multiply-fold mixing (as in wyhash).
#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

#[inline]
pub(crate) fn read8(s: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&s[at..at + 8]);
    u64::from_le_bytes(w)
}

#[inline]
pub(crate) fn read4(s: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&s[at..at + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// A 64-bit hash of `s`, seeded with `seed` (wyhash-like: fixed-size, possibly overlapping
/// reads; one multiply per 16 bytes).
#[inline]
pub(crate) fn hash_bytes(s: &[u8], seed: u64) -> u64 {
    let len = s.len();
    let mut h = seed ^ (len as u64).wrapping_mul(K1);
    let (a, b) = if len <= 16 {
        if len >= 8 {
            (read8(s, 0), read8(s, len - 8))
        } else if len >= 4 {
            (read4(s, 0), read4(s, len - 4))
        } else if len > 0 {
            (
                u64::from(s[0]) << 16 | u64::from(s[len / 2]) << 8 | u64::from(s[len - 1]),
                0,
            )
        } else {
            (0, 0)
        }
    } else {
        let mut i = 0;
        while len - i > 16 {
            h = mix(read8(s, i) ^ h ^ K3, read8(s, i + 8) ^ K2);
            i += 16;
        }
        (read8(s, len - 16), read8(s, len - 8))
    };
    mix(a ^ h ^ K3, b ^ K2)
}

/// Multiplier of the word steps (FxHash's constant).
const FX: u64 = 0xf135_7aea_2e62_a9c5;

/// The crate's hasher: byte strings through [`hash_bytes`], integers by one multiply-rotate
/// step (so a key that is already a 64-bit hash costs one multiply).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(bytes, self.0);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(FX);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// The builder of [`FastHasher`]s.
pub(crate) type FastBuild = BuildHasherDefault<FastHasher>;
/// A hash map with the crate's hasher.
pub(crate) type FastMap<K, V> = HashMap<K, V, FastBuild>;
/// A hash set with the crate's hasher.
pub(crate) type FastSet<K> = HashSet<K, FastBuild>;
/// A set of 64-bit hashes.
pub(crate) type HashSet64 = FastSet<u64>;
/// A map keyed by 64-bit hashes.
pub(crate) type HashMap64<V> = FastMap<u64, V>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn h<T: Hash>(t: &T) -> u64 {
        FastBuild::default().hash_one(t)
    }

    #[test]
    fn hashes_are_deterministic_and_separate_close_keys() {
        assert_eq!(h(&"social"), h(&"social"));
        assert_ne!(h(&"social"), h(&"sociale"));
        assert_ne!(h(&vec![1u64, 2]), h(&vec![2u64, 1]));
        assert_ne!(h(&1u64), h(&2u64));
        // Every length goes through a different read path of hash_bytes.
        let text = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let all: HashSet<u64> = (0..text.len()).map(|n| hash_bytes(&text[..n], 7)).collect();
        assert_eq!(all.len(), text.len());
    }
}
