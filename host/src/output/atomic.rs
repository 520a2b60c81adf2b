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

/// Checks every output is writable ([`check_writable`]) and that no two of the inputs and
/// outputs are the same file once resolved (links, `.` and `..` followed, so `./a.csv` and
/// `a.csv` are one file): no output ever overwrites an input or another output. `what` names
/// the flag (`--out`) or the input (`scenario`) in the message.
pub fn check_files(inputs: &[(&str, &Path)], outputs: &[(&str, Option<&Path>)]) -> Result<()> {
    let outputs: Vec<(&str, &Path)> = outputs
        .iter()
        .filter_map(|&(w, p)| p.map(|p| (w, p)))
        .collect();
    for &(what, p) in &outputs {
        check_writable(p, what)?;
    }
    let all: Vec<(&str, &Path, std::path::PathBuf)> = inputs
        .iter()
        .chain(outputs.iter())
        .map(|&(w, p)| (w, p, resolve(p)))
        .collect();
    for (i, (wo, po, ro)) in all.iter().enumerate().skip(inputs.len()) {
        if let Some((wi, pi, _)) = all[..i].iter().find(|(_, _, r)| r == ro) {
            return Err(HostError::input(format!(
                "{wo} {} is the same file as {wi} {}: choose another name (an output never overwrites an input or another output)",
                po.display(),
                pi.display()
            )));
        }
    }
    Ok(())
}

/// The absolute path a file name refers to: canonical if it exists, else its nearest existing
/// ancestor made canonical with the rest appended.
fn resolve(p: &Path) -> std::path::PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = cur.canonicalize() {
            return rest.iter().rev().fold(c, |acc, n| acc.join(n));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                cur = parent;
            }
            _ => return abs,
        }
    }
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
