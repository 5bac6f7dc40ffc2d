//! IDX decoding of arbitrary bytes, raw and gzip-wrapped, never panics; an accepted array
//! has exactly `prod(dims)` bytes and re-encodes to the input.
#![no_main]

use std::io::Write;
use std::path::Path;

use kaizen_nn::data::idx::parse_idx;
use libfuzzer_sys::fuzz_target;

fn encode(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0x08, dims.len() as u8];
    for d in dims {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.idx");
    let raw = parse_idx(path, data);
    if let Ok(idx) = &raw {
        let count: u128 = idx.dims.iter().map(|&d| d as u128).product();
        assert_eq!(count, idx.data.len() as u128);
        assert!(!idx.dims.is_empty() && idx.dims.len() < 256);
        if !data.starts_with(&[0x1f, 0x8b]) {
            assert_eq!(encode(&idx.dims, &idx.data), data);
        }
    }
    // The same bytes gzip-wrapped decode to the same result (unless they were gzip already,
    // which the raw parse unwrapped once and the wrapped parse does not).
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    let wrapped = parse_idx(path, &gz.finish().unwrap());
    if !data.starts_with(&[0x1f, 0x8b]) {
        assert_eq!(raw.ok(), wrapped.ok());
    }
});
