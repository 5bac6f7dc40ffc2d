//! Integer arrays in their narrowest type: the owned [`IntVec`], the borrowed [`IntSlice`]
//! (which may point into a memory-mapped spill file) and the [`IntType`] tag with its width.
//!
//! Values are stored in native byte order; [`IntSlice::as_bytes`] is exactly what a spill file
//! holds for the array.

/// The element type of a witness array; its width travels with the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntType {
    /// `u8`.
    U8,
    /// `i8`.
    I8,
    /// `u16`.
    U16,
    /// `i16`.
    I16,
    /// `u32`.
    U32,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
}

impl IntType {
    /// The narrowest type holding every value in `lo..=hi` (unsigned preferred at equal width).
    pub fn narrowest(lo: i64, hi: i64) -> Self {
        let fits = |min: i64, max: i64| lo >= min && hi <= max;
        if fits(0, u8::MAX as i64) {
            IntType::U8
        } else if fits(i8::MIN as i64, i8::MAX as i64) {
            IntType::I8
        } else if fits(0, u16::MAX as i64) {
            IntType::U16
        } else if fits(i16::MIN as i64, i16::MAX as i64) {
            IntType::I16
        } else if fits(0, u32::MAX as i64) {
            IntType::U32
        } else if fits(i32::MIN as i64, i32::MAX as i64) {
            IntType::I32
        } else {
            IntType::I64
        }
    }

    /// Bits per value.
    pub fn bits(self) -> u32 {
        8 * self.byte_width() as u32
    }

    /// Bytes per value.
    pub fn byte_width(self) -> usize {
        match self {
            IntType::U8 | IntType::I8 => 1,
            IntType::U16 | IntType::I16 => 2,
            IntType::U32 | IntType::I32 => 4,
            IntType::I64 => 8,
        }
    }

    /// Whether the type is signed.
    pub fn signed(self) -> bool {
        matches!(
            self,
            IntType::I8 | IntType::I16 | IntType::I32 | IntType::I64
        )
    }

    /// Appends `values`, converted to this type, to `out` in native byte order. The caller
    /// guarantees every value fits (as [`IntType::narrowest`] of their range does).
    pub(crate) fn encode<T: Copy + Into<i64>>(self, values: &[T], out: &mut Vec<u8>) {
        out.reserve(values.len() * self.byte_width());
        let wide = values.iter().map(|&v| v.into());
        match self {
            IntType::U8 => wide.for_each(|v| out.push(v as u8)),
            IntType::I8 => wide.for_each(|v| out.extend_from_slice(&(v as i8).to_ne_bytes())),
            IntType::U16 => wide.for_each(|v| out.extend_from_slice(&(v as u16).to_ne_bytes())),
            IntType::I16 => wide.for_each(|v| out.extend_from_slice(&(v as i16).to_ne_bytes())),
            IntType::U32 => wide.for_each(|v| out.extend_from_slice(&(v as u32).to_ne_bytes())),
            IntType::I32 => wide.for_each(|v| out.extend_from_slice(&(v as i32).to_ne_bytes())),
            IntType::I64 => wide.for_each(|v| out.extend_from_slice(&v.to_ne_bytes())),
        }
    }
}

/// The range `(min, max)` of `values` (`(0, 0)` if empty).
pub(crate) fn range<T: Copy + Into<i64>>(values: &[T]) -> (i64, i64) {
    values
        .iter()
        .map(|&v| v.into())
        .fold(None, |acc: Option<(i64, i64)>, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
        .unwrap_or((0, 0))
}

/// An owned vector of integers in its narrowest type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntVec {
    /// All values in `0..=255`.
    U8(Vec<u8>),
    /// All values in `-128..=127`.
    I8(Vec<i8>),
    /// All values in `0..=65535`.
    U16(Vec<u16>),
    /// All values in `i16`.
    I16(Vec<i16>),
    /// All values in `u32`.
    U32(Vec<u32>),
    /// All values in `i32`.
    I32(Vec<i32>),
    /// Anything else.
    I64(Vec<i64>),
}

impl IntVec {
    /// Narrowest representation of `values` (no widened copy is made).
    pub fn narrow<T: Copy + Into<i64>>(values: &[T]) -> Self {
        let (lo, hi) = range(values);
        let wide = values.iter().map(|&v| v.into());
        match IntType::narrowest(lo, hi) {
            IntType::U8 => IntVec::U8(wide.map(|v| v as u8).collect()),
            IntType::I8 => IntVec::I8(wide.map(|v| v as i8).collect()),
            IntType::U16 => IntVec::U16(wide.map(|v| v as u16).collect()),
            IntType::I16 => IntVec::I16(wide.map(|v| v as i16).collect()),
            IntType::U32 => IntVec::U32(wide.map(|v| v as u32).collect()),
            IntType::I32 => IntVec::I32(wide.map(|v| v as i32).collect()),
            IntType::I64 => IntVec::I64(wide.collect()),
        }
    }

    /// Narrowest representation of `values`.
    pub fn from_i64(values: &[i64]) -> Self {
        Self::narrow(values)
    }

    /// Narrowest representation of `values`.
    pub fn from_i32(values: &[i32]) -> Self {
        Self::narrow(values)
    }

    /// Narrowest representation of `values`.
    pub fn from_u32(values: &[u32]) -> Self {
        Self::narrow(values)
    }

    /// A borrowed view.
    pub fn as_slice(&self) -> IntSlice<'_> {
        match self {
            IntVec::U8(v) => IntSlice::U8(v),
            IntVec::I8(v) => IntSlice::I8(v),
            IntVec::U16(v) => IntSlice::U16(v),
            IntVec::I16(v) => IntSlice::I16(v),
            IntVec::U32(v) => IntSlice::U32(v),
            IntVec::I32(v) => IntSlice::I32(v),
            IntVec::I64(v) => IntSlice::I64(v),
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes per value.
    pub fn width_bytes(&self) -> usize {
        self.as_slice().ty().byte_width()
    }

    /// Storage size in bytes.
    pub fn byte_len(&self) -> usize {
        self.as_slice().byte_len()
    }

    /// The value at `i`, widened.
    pub fn get(&self, i: usize) -> Option<i64> {
        self.as_slice().get(i)
    }

    /// All values, widened.
    pub fn to_i64(&self) -> Vec<i64> {
        self.as_slice().to_i64()
    }
}

/// A borrowed array of integers in its narrowest type, in memory or in a mapped spill file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntSlice<'a> {
    /// `u8` values.
    U8(&'a [u8]),
    /// `i8` values.
    I8(&'a [i8]),
    /// `u16` values.
    U16(&'a [u16]),
    /// `i16` values.
    I16(&'a [i16]),
    /// `u32` values.
    U32(&'a [u32]),
    /// `i32` values.
    I32(&'a [i32]),
    /// `i64` values.
    I64(&'a [i64]),
}

impl<'a> IntSlice<'a> {
    /// Reinterprets native-order `bytes` as values of type `ty`; `None` if the length is not
    /// a multiple of the width or `bytes` is not aligned for the type.
    pub fn from_bytes(ty: IntType, bytes: &'a [u8]) -> Option<Self> {
        use bytemuck::try_cast_slice as cast;
        Some(match ty {
            IntType::U8 => IntSlice::U8(bytes),
            IntType::I8 => IntSlice::I8(cast(bytes).ok()?),
            IntType::U16 => IntSlice::U16(cast(bytes).ok()?),
            IntType::I16 => IntSlice::I16(cast(bytes).ok()?),
            IntType::U32 => IntSlice::U32(cast(bytes).ok()?),
            IntType::I32 => IntSlice::I32(cast(bytes).ok()?),
            IntType::I64 => IntSlice::I64(cast(bytes).ok()?),
        })
    }

    /// The element type.
    pub fn ty(&self) -> IntType {
        match self {
            IntSlice::U8(_) => IntType::U8,
            IntSlice::I8(_) => IntType::I8,
            IntSlice::U16(_) => IntType::U16,
            IntSlice::I16(_) => IntType::I16,
            IntSlice::U32(_) => IntType::U32,
            IntSlice::I32(_) => IntType::I32,
            IntSlice::I64(_) => IntType::I64,
        }
    }

    /// Bits per value.
    pub fn bits(&self) -> u32 {
        self.ty().bits()
    }

    /// The raw storage, native byte order.
    pub fn as_bytes(&self) -> &'a [u8] {
        use bytemuck::cast_slice as bytes;
        match *self {
            IntSlice::U8(v) => v,
            IntSlice::I8(v) => bytes(v),
            IntSlice::U16(v) => bytes(v),
            IntSlice::I16(v) => bytes(v),
            IntSlice::U32(v) => bytes(v),
            IntSlice::I32(v) => bytes(v),
            IntSlice::I64(v) => bytes(v),
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.as_bytes().len() / self.ty().byte_width()
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Storage size in bytes.
    pub fn byte_len(&self) -> usize {
        self.as_bytes().len()
    }

    /// The value at `i`, widened.
    pub fn get(&self, i: usize) -> Option<i64> {
        match *self {
            IntSlice::U8(v) => v.get(i).map(|&x| x as i64),
            IntSlice::I8(v) => v.get(i).map(|&x| x as i64),
            IntSlice::U16(v) => v.get(i).map(|&x| x as i64),
            IntSlice::I16(v) => v.get(i).map(|&x| x as i64),
            IntSlice::U32(v) => v.get(i).map(|&x| x as i64),
            IntSlice::I32(v) => v.get(i).map(|&x| x as i64),
            IntSlice::I64(v) => v.get(i).copied(),
        }
    }

    /// All values, widened.
    pub fn to_i64(&self) -> Vec<i64> {
        match *self {
            IntSlice::U8(v) => v.iter().map(|&x| x as i64).collect(),
            IntSlice::I8(v) => v.iter().map(|&x| x as i64).collect(),
            IntSlice::U16(v) => v.iter().map(|&x| x as i64).collect(),
            IntSlice::I16(v) => v.iter().map(|&x| x as i64).collect(),
            IntSlice::U32(v) => v.iter().map(|&x| x as i64).collect(),
            IntSlice::I32(v) => v.iter().map(|&x| x as i64).collect(),
            IntSlice::I64(v) => v.to_vec(),
        }
    }

    /// An owned copy.
    pub fn to_vec(&self) -> IntVec {
        match *self {
            IntSlice::U8(v) => IntVec::U8(v.to_vec()),
            IntSlice::I8(v) => IntVec::I8(v.to_vec()),
            IntSlice::U16(v) => IntVec::U16(v.to_vec()),
            IntSlice::I16(v) => IntVec::I16(v.to_vec()),
            IntSlice::U32(v) => IntVec::U32(v.to_vec()),
            IntSlice::I32(v) => IntVec::I32(v.to_vec()),
            IntSlice::I64(v) => IntVec::I64(v.to_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowest_type_is_chosen() {
        assert!(matches!(IntVec::from_i64(&[0, 255]), IntVec::U8(_)));
        assert!(matches!(IntVec::from_i64(&[-1, 127]), IntVec::I8(_)));
        assert!(matches!(IntVec::from_i64(&[0, 65535]), IntVec::U16(_)));
        assert!(matches!(IntVec::from_i64(&[-1, 32767]), IntVec::I16(_)));
        assert!(matches!(IntVec::from_i64(&[-1, 32768]), IntVec::I32(_)));
        assert!(matches!(IntVec::from_i64(&[0, 1 << 31]), IntVec::U32(_)));
        assert!(matches!(IntVec::from_i64(&[-1, 1 << 31]), IntVec::I64(_)));
        let v = IntVec::from_i64(&[-5, 300, 7]);
        assert_eq!(v.to_i64(), vec![-5, 300, 7]);
        assert_eq!(v.byte_len(), 6);
        assert_eq!(v.as_slice().bits(), 16);
        assert!(v.as_slice().ty().signed());
    }

    #[test]
    fn encode_matches_owned_bytes() {
        for values in [
            vec![0i64, 200],
            vec![-3, 100],
            vec![0, 60_000],
            vec![-30_000, 5],
            vec![0, 4_000_000_000],
            vec![-2_000_000_000, 7],
            vec![i64::MIN, i64::MAX],
            vec![],
        ] {
            let owned = IntVec::narrow(&values);
            let (lo, hi) = range(&values);
            let ty = IntType::narrowest(lo, hi);
            assert_eq!(ty, owned.as_slice().ty());
            let mut bytes = Vec::new();
            ty.encode(&values, &mut bytes);
            assert_eq!(bytes, owned.as_slice().as_bytes(), "{values:?}");
            let view = owned.as_slice();
            let back = IntSlice::from_bytes(ty, view.as_bytes()).unwrap();
            assert_eq!(back, view);
            assert_eq!(back.to_i64(), values);
        }
    }

    #[test]
    fn misaligned_or_ragged_bytes_are_refused() {
        let words = [0u32; 4];
        let bytes: &[u8] = bytemuck::cast_slice(&words);
        assert!(IntSlice::from_bytes(IntType::I32, &bytes[1..5]).is_none());
        assert!(IntSlice::from_bytes(IntType::I32, &bytes[..6]).is_none());
        assert_eq!(
            IntSlice::from_bytes(IntType::U16, &bytes[2..6]).map(|s| s.len()),
            Some(2)
        );
    }
}
