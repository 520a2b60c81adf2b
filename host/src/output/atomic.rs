//! Output stage: files that never exist half-written: data goes to `NAME.part` and is renamed into
//! place when finished (also after an interruption, so nothing computed is lost).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{HostError, Result};

/// A file being written; becomes visible under its final name on [`AtomicFile::finish`].
pub struct AtomicFile {
    path: PathBuf,
    part: PathBuf,
    w: Option<BufWriter<File>>,
}

/// `NAME.part` next to `NAME`.
pub fn part_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".part");
    PathBuf::from(p)
}

/// Checks that a file can be created at `path` (missing directories are created later, when the
/// first byte is written), without creating anything.
pub fn check_writable(path: &Path, what: &str) -> Result<()> {
    if path.as_os_str().is_empty() || path.is_dir() {
        return Err(HostError::input(format!(
            "{what} {} is a directory or empty",
            path.display()
        )));
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        if d.exists() {
            if !d.is_dir() {
                return Err(HostError::input(format!(
                    "{what} {}: {} is not a directory",
                    path.display(),
                    d.display()
                )));
            }
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

impl AtomicFile {
    /// Starts `path.part`.
    pub fn create(path: &Path) -> Result<Self> {
        let part = part_path(path);
        if let Some(d) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(d)
                .map_err(|e| HostError::input(format!("cannot create {}: {e}", d.display())))?;
        }
        let f = File::create(&part)
            .map_err(|e| HostError::input(format!("cannot create {}: {e}", part.display())))?;
        Ok(Self {
            path: path.to_owned(),
            part,
            w: Some(BufWriter::with_capacity(1 << 16, f)),
        })
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.w.as_mut().expect("writer is present until finish")
    }

    /// Flushes, syncs and renames into place.
    pub fn finish(mut self) -> Result<PathBuf> {
        let mut w = self.w.take().expect("writer is present until finish");
        w.flush().map_err(|e| io_err(&self.part, e))?;
        let f = w
            .into_inner()
            .map_err(|e| io_err(&self.part, e.into_error()))?;
        f.sync_all().map_err(|e| io_err(&self.part, e))?;
        std::fs::rename(&self.part, &self.path).map_err(|e| io_err(&self.path, e))?;
        Ok(self.path.clone())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Abandoned without finish (an error before any result): leave no partial file.
        if self.w.take().is_some() {
            let _ = std::fs::remove_file(&self.part);
        }
    }
}

fn io_err(p: &Path, e: std::io::Error) -> HostError {
    HostError::runtime(format!("writing {}: {e}", p.display()))
}

/// Writes a whole file atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(path)?;
    f.writer().write_all(bytes).map_err(|e| io_err(path, e))?;
    f.finish().map(|_| ())
}
