//! Execution stage: shards of a campaign (`--shard i/n`, contiguous trial ranges, merged
//! exactly) and the FNV-1a fingerprints that tie a partial file to its campaign.

/// A shard `i/n`: this process runs trials `[i N / n, (i+1) N / n)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Index, 0-based.
    pub index: u64,
    /// Count.
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (i, n) = s.split_once('/').ok_or("expected i/n, e.g. 0/4")?;
        let index: u64 = i
            .trim()
            .parse()
            .map_err(|_| format!("shard index `{i}` is not a number"))?;
        let count: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("shard count `{n}` is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!("shard {index}/{count}: allowed 0 <= i < n, n >= 1"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The whole campaign.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// The trial range of this shard out of `trials`.
    pub fn range(&self, trials: u64) -> std::ops::Range<u64> {
        let lo = (self.index as u128 * trials as u128 / self.count as u128) as u64;
        let hi = ((self.index + 1) as u128 * trials as u128 / self.count as u128) as u64;
        lo..hi
    }
}

/// FNV-1a 64-bit hash (fingerprints of campaigns, stable across platforms and versions).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_more(0xcbf2_9ce4_8422_2325, bytes)
}

/// [`fnv1a`] continued over more bytes from the hash `h` of those before.
fn fnv1a_more(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// [`fnv1a`] of a file's bytes, read a block at a time (memory independent of its size).
///
/// # Errors
/// The file cannot be read.
pub fn fnv1a_file(path: &std::path::Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut h = fnv1a(&[]);
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(h);
        }
        h = fnv1a_more(h, &buf[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_hash_is_the_hash_of_its_bytes_across_blocks() {
        let path = std::env::temp_dir().join(format!("larmor-fnv-{}.csv", std::process::id()));
        // more than two 64 KiB blocks, not a multiple of one
        let bytes: Vec<u8> = (0..150_001u32).map(|i| (i * 7 + i / 255) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let h = fnv1a_file(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(h, fnv1a(&bytes));
        assert_ne!(fnv1a(&bytes), fnv1a(&bytes[1..]));
    }
}
