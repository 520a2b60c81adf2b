//! Execution stage: the one resume format of `ensemble` and `sweep`. While a campaign runs, its
//! output `OUT` exists as `OUT.part` (the header line, then one complete line per finished
//! trial or point, synced after every chunk) next to `OUT.part.meta` (one line: the campaign's
//! fingerprint). `--resume` checks the fingerprint, drops a torn last line, and appends; on
//! completion `OUT.part` is renamed to `OUT` and the fingerprint removed.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{HostError, Result};
use crate::output::{part_path, write_atomic};

/// The partial file of an output and its fingerprint.
pub struct Journal {
    /// `OUT.part`.
    pub part: PathBuf,
    /// `OUT.part.meta`.
    pub meta: PathBuf,
}

impl Journal {
    /// The journal of the output `out`.
    pub fn of(out: &Path) -> Self {
        let part = part_path(out);
        let mut meta = part.clone().into_os_string();
        meta.push(".meta");
        Self {
            part,
            meta: PathBuf::from(meta),
        }
    }

    /// `true` if an interrupted campaign left its partial file.
    pub fn exists(&self) -> bool {
        self.part.exists()
    }

    /// The fingerprint of the interrupted campaign (trimmed; empty when missing).
    pub fn fingerprint(&self) -> String {
        std::fs::read_to_string(&self.meta)
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// Starts a fresh partial file: the fingerprint, then the header line.
    pub fn start(&self, fingerprint: &str, header: &str) -> Result<File> {
        if let Some(dir) = self.part.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| HostError::input(format!("{}: {e}", dir.display())))?;
        }
        write_atomic(&self.meta, fingerprint.as_bytes())?;
        let mut f = File::create(&self.part)
            .map_err(|e| HostError::input(format!("{}: {e}", self.part.display())))?;
        writeln!(f, "{header}").map_err(|e| HostError::runtime(e.to_string()))?;
        Ok(f)
    }

    /// Reopens the partial file for appending after its first `good_len` bytes (the header and
    /// the complete lines; a torn tail is cut off).
    pub fn reopen(&self, good_len: u64) -> Result<File> {
        let mut f = OpenOptions::new()
            .write(true)
            .open(&self.part)
            .map_err(|e| HostError::runtime(format!("{}: {e}", self.part.display())))?;
        f.set_len(good_len)
            .and_then(|_| f.seek(SeekFrom::End(0)))
            .map_err(|e| HostError::runtime(e.to_string()))?;
        Ok(f)
    }

    /// Appends finished lines and syncs them to disk.
    pub fn append(&self, f: &mut File, text: &str) -> Result<()> {
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_data())
            .map_err(|e| HostError::runtime(format!("{}: {e}", self.part.display())))
    }

    /// The campaign failed (not interrupted: a rerun would fail the same way): the partial file
    /// and its fingerprint go, so that no rerun takes them for an interrupted campaign.
    pub fn discard(&self) {
        let _ = std::fs::remove_file(&self.part);
        let _ = std::fs::remove_file(&self.meta);
    }

    /// Runs `work`; on an error the partial file and fingerprint are discarded.
    pub fn or_discard<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        work().inspect_err(|_| self.discard())
    }

    /// The campaign is complete: `OUT.part` becomes `out`, the fingerprint goes.
    pub fn complete(&self, out: &Path) -> Result<()> {
        std::fs::rename(&self.part, out)
            .map_err(|e| HostError::runtime(format!("{}: {e}", out.display())))?;
        let _ = std::fs::remove_file(&self.meta);
        Ok(())
    }
}

/// The complete lines of a partial text file after its header, and the byte length of the
/// header and those lines; `None` if the first line is not `header`.
pub fn read_lines(part: &Path, header: &str) -> Result<Option<(Vec<String>, u64)>> {
    let old = std::fs::read_to_string(part).map_err(|e| HostError::input(e.to_string()))?;
    let mut it = old.split_inclusive('\n');
    match it.next() {
        Some(h) if h.ends_with('\n') && h.trim_end() == header => {
            let mut len = h.len() as u64;
            let lines: Vec<String> = it
                .filter(|l| l.ends_with('\n'))
                .map(|l| {
                    len += l.len() as u64;
                    String::from(l)
                })
                .collect();
            Ok(Some((lines, len)))
        }
        _ => Ok(None),
    }
}
