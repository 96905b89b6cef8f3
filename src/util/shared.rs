//! Shared strings and slices: cheap to clone views into one shared buffer, so that bulk results
//! (an [`Estimation`](crate::Estimation) of a million lines) are a few large allocations rather
//! than millions of small ones.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An immutable string that may share its buffer with other `SharedStr`s: a view into a
/// reference-counted buffer (16 bytes). Cloning is a reference-count increment; it dereferences
/// to `str`, compares with `str`, `&str` and `String` by content, and is serialized as a plain
/// string.
///
/// Holding one keeps its whole buffer alive (for the strings of an estimation: all the line ids,
/// or all the group keys); copy it into a `String` (`to_string()`) to keep it alone.
#[derive(Clone, Default)]
pub struct SharedStr {
    /// `None` for the empty string (no allocation, cloned without touching a counter).
    buf: Option<Arc<String>>,
    /// Byte range in `buf`, on character boundaries; `end == WHOLE` means to the end.
    start: u32,
    end: u32,
}

/// The end of a range that runs to the end of its buffer (buffers may exceed `u32::MAX`).
const WHOLE: u32 = u32::MAX;

/// The `u32` end of a range ending at `end` (`WHOLE` when it does not fit).
fn end_of(end: usize) -> u32 {
    u32::try_from(end).unwrap_or(WHOLE)
}

impl SharedStr {
    /// The view `range` of `buf`, trusting the caller that it lies on character boundaries
    /// within `buf` (not checked here, to spare reading `buf`: a wrong range makes the string
    /// empty, it never panics). `range.end` is below `u32::MAX`.
    pub(crate) fn slice_trusted(buf: &Arc<String>, range: Range<u32>) -> SharedStr {
        SharedStr {
            buf: Some(Arc::clone(buf)),
            start: range.start,
            end: range.end,
        }
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        // The range was set at construction (see `slice_trusted`) and `buf` is immutable.
        let Some(buf) = &self.buf else {
            return "";
        };
        let s = if self.end == WHOLE {
            buf.get(self.start as usize..)
        } else {
            buf.get(self.start as usize..self.end as usize)
        };
        s.unwrap_or_default()
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr::from(s.to_string())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        let end = end_of(s.len());
        SharedStr {
            buf: Some(Arc::new(s)),
            start: 0,
            end,
        }
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> String {
        s.as_str().to_string()
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, like `str`, honours width, fill and precision.
        f.pad(self.as_str())
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &SharedStr) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &SharedStr) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

macro_rules! eq_str {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for SharedStr {
            fn eq(&self, other: &$t) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<SharedStr> for $t {
            fn eq(&self, other: &SharedStr) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}

eq_str!(str, &str, String);

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<SharedStr, D::Error> {
        String::deserialize(de).map(SharedStr::from)
    }
}

/// An immutable slice that may share its buffer with other `SharedSlice`s: a view into a
/// reference-counted vector (16 bytes). Cloning is a reference-count increment; it dereferences to `[T]`, compares by
/// content (also with arrays, slices and vectors of anything `T` compares with), and is
/// serialized as a sequence.
pub struct SharedSlice<T> {
    /// `None` for the empty slice (no allocation, cloned without touching a counter).
    buf: Option<Arc<Vec<T>>>,
    /// Index range in `buf`; `end == WHOLE` means to the end.
    start: u32,
    end: u32,
}

impl<T> SharedSlice<T> {
    /// The view `range` of `buf`, trusting the caller that it lies within `buf` (a wrong
    /// range makes the slice empty, it never panics). `range.end` is below `u32::MAX`.
    pub(crate) fn slice_trusted(buf: &Arc<Vec<T>>, range: Range<u32>) -> SharedSlice<T> {
        SharedSlice {
            buf: Some(Arc::clone(buf)),
            start: range.start,
            end: range.end,
        }
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether it has no elements.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// The slice.
    pub fn as_slice(&self) -> &[T] {
        // The range was set at construction (see `slice_trusted`) and `buf` is immutable.
        let Some(buf) = &self.buf else {
            return &[];
        };
        let s = if self.end == WHOLE {
            buf.get(self.start as usize..)
        } else {
            buf.get(self.start as usize..self.end as usize)
        };
        s.unwrap_or_default()
    }
}

impl<T> Clone for SharedSlice<T> {
    fn clone(&self) -> SharedSlice<T> {
        SharedSlice {
            buf: self.buf.clone(),
            start: self.start,
            end: self.end,
        }
    }
}

impl<T> Default for SharedSlice<T> {
    fn default() -> SharedSlice<T> {
        SharedSlice {
            buf: None,
            start: 0,
            end: 0,
        }
    }
}

impl<T> Deref for SharedSlice<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> AsRef<[T]> for SharedSlice<T> {
    fn as_ref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> From<Vec<T>> for SharedSlice<T> {
    fn from(v: Vec<T>) -> SharedSlice<T> {
        let end = end_of(v.len());
        SharedSlice {
            buf: Some(Arc::new(v)),
            start: 0,
            end,
        }
    }
}

impl<T> FromIterator<T> for SharedSlice<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> SharedSlice<T> {
        SharedSlice::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<'a, T> IntoIterator for &'a SharedSlice<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> std::slice::Iter<'a, T> {
        self.as_slice().iter()
    }
}

impl<T: fmt::Debug> fmt::Debug for SharedSlice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl<T: PartialEq<U>, U> PartialEq<SharedSlice<U>> for SharedSlice<T> {
    fn eq(&self, other: &SharedSlice<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for SharedSlice<T> {}

impl<T: Hash> Hash for SharedSlice<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for SharedSlice<T> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq<U>, U> PartialEq<[U]> for SharedSlice<T> {
    fn eq(&self, other: &[U]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for SharedSlice<T> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Serialize> Serialize for SharedSlice<T> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq(self.as_slice())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for SharedSlice<T> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<SharedSlice<T>, D::Error> {
        Vec::<T>::deserialize(de).map(SharedSlice::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_str_compares_and_serializes_as_its_text() {
        let s = SharedStr::from("supplies:PAP:2026");
        assert_eq!(s, "supplies:PAP:2026");
        assert!(s.starts_with("supplies:"));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"supplies:PAP:2026\"");
    }

    #[test]
    fn shared_slice_compares_and_serializes_as_a_sequence() {
        let ids: SharedSlice<SharedStr> = vec![SharedStr::from("A"), SharedStr::from("B")].into();
        assert_eq!(ids, ["A", "B"]);
        assert_eq!(ids.len(), 2);
        assert_eq!(serde_json::to_string(&ids).unwrap(), r#"["A","B"]"#);
    }

    #[test]
    fn a_view_is_its_range_and_compares_by_content() {
        let buf = Arc::new(String::from("L1L2L3"));
        let a = SharedStr::slice_trusted(&buf, 2..4);
        assert_eq!(a, "L2");
        assert_eq!(a.as_str(), "L2");
        assert_eq!(a, SharedStr::from("L2"));
        assert_eq!("L2", a);
        assert_eq!(String::from("L2"), a);
        let l3 = SharedStr::slice_trusted(&buf, 4..6);
        assert!(a < l3 && l3 == "L3");
        assert_eq!(
            format!("{a} {a:?} [{a:<4}] [{a:>3.1}]"),
            "L2 \"L2\" [L2  ] [  L]"
        );
        assert_eq!(std::mem::size_of::<SharedStr>(), 16);
        assert_eq!(std::mem::size_of::<SharedSlice<SharedStr>>(), 16);
    }

    #[test]
    fn a_wrong_range_is_empty_never_a_panic() {
        let buf = Arc::new(String::from("é"));
        assert_eq!(SharedStr::slice_trusted(&buf, 0..1), "");
        assert_eq!(SharedStr::slice_trusted(&buf, 0..3), "");
        assert_eq!(SharedStr::slice_trusted(&buf, 0..2), "é");
        let items = Arc::new(vec![1, 2, 3]);
        assert!(SharedSlice::slice_trusted(&items, 2..4).is_empty());
        assert_eq!(SharedSlice::slice_trusted(&items, 1..3), [2, 3]);
    }

    #[test]
    fn equal_content_hashes_alike() {
        use std::collections::HashSet;
        let buf = Arc::new(String::from("xAy"));
        let set: HashSet<SharedStr> = [SharedStr::from("A")].into_iter().collect();
        assert!(set.contains(&SharedStr::slice_trusted(&buf, 1..2)));
        assert!(set.contains("A"));
    }

    #[test]
    fn serde_round_trips_as_plain_strings_and_sequences() {
        let buf = Arc::new(vec![
            SharedStr::from("A"),
            SharedStr::from("B"),
            SharedStr::from("C"),
        ]);
        let s = SharedSlice::slice_trusted(&buf, 1..3);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"["B","C"]"#);
        let back: SharedSlice<SharedStr> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        assert_eq!(back, ["B", "C"]);
        let e: SharedSlice<SharedStr> = serde_json::from_str("[]").unwrap();
        assert!(e.is_empty());
        assert_eq!(e, SharedSlice::<SharedStr>::default());
        assert_eq!(SharedStr::default(), "");
        assert_eq!(
            serde_json::to_string(&SharedStr::default()).unwrap(),
            "\"\""
        );
        let t: SharedStr = serde_json::from_str("\"déjà\"").unwrap();
        assert_eq!(t, "déjà");
    }
}
