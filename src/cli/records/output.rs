//! Where exports, reports and certificates go: standard output, or a file written through a
//! temporary `.partial` file renamed into place (an interrupted export never leaves a truncated
//! file that looks complete), with devices, pipes and symbolic links handled as given.

use std::io::Write;
use std::path::{Path, PathBuf};

use casus::records;

use super::store_err;
use crate::cli::CliError;

/// Writes through a temporary file renamed into place, so an interrupted export never leaves a
/// truncated file that looks complete. A device or pipe (`/dev/stdout`, a FIFO) is written
/// directly, and a symbolic link keeps pointing at the file it names.
pub(super) fn write_out(
    output: Option<&Path>,
    f: impl FnOnce(&mut dyn Write) -> Result<u64, records::StoreError>,
) -> Result<u64, CliError> {
    match output {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            f(&mut out).map_err(store_err)
        }
        Some(path) => {
            let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
            match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => {
                    return Err(CliError::Msg(format!(
                        "cannot write {}: it is a folder; give a file name",
                        path.display()
                    )));
                }
                Ok(m) if !m.is_file() => {
                    let file = std::fs::OpenOptions::new()
                        .write(true)
                        .open(path)
                        .map_err(|e| CliError::Msg(cannot(e)))?;
                    let mut out = std::io::BufWriter::new(file);
                    let n = f(&mut out).map_err(store_err)?;
                    out.into_inner()
                        .map_err(|e| store_err(records::StoreError::Output(e.into_error())))?;
                    return Ok(n);
                }
                _ => {}
            }
            let target = resolve_links(path);
            if target != path {
                return write_out(Some(&target), f);
            }
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
                && !parent.is_dir()
            {
                return Err(CliError::Msg(format!(
                    "cannot write {}: the folder {} does not exist",
                    path.display(),
                    parent.display()
                )));
            }
            let mut name = path.file_name().unwrap_or_default().to_os_string();
            name.push(".partial");
            let tmp = path.with_file_name(name);
            let file = std::fs::File::create(&tmp).map_err(|e| CliError::Msg(cannot(e)))?;
            // Personal data: the owner's only, also when it replaces a file others could read.
            records::owner_only(&tmp).map_err(|e| CliError::Msg(cannot(e)))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            let written = f(&mut out).map_err(store_err).and_then(|n| {
                let file = out
                    .into_inner()
                    .map_err(|e| store_err(records::StoreError::Output(e.into_error())))?;
                file.sync_all()
                    .and_then(|()| std::fs::rename(&tmp, path))
                    .map_err(|e| CliError::Msg(cannot(e)))?;
                Ok(n)
            });
            if written.is_err() {
                // Nothing half-written stays behind.
                let _ = std::fs::remove_file(&tmp);
            }
            written
        }
    }
}

/// The file a chain of symbolic links ends at (also when that file does not exist yet), so
/// renaming into place replaces the file and keeps the links.
fn resolve_links(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    // A cycle of links stops here; opening it later gives the system's error.
    for _ in 0..40 {
        match std::fs::read_link(&p) {
            Ok(t) if t.is_absolute() => p = t,
            Ok(t) => p = p.parent().unwrap_or(Path::new("")).join(t),
            Err(_) => break,
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("casus-write-out-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_failed_export_leaves_the_previous_file_and_no_partial_one() {
        let d = scratch("failed");
        let out = d.join("report.html");
        std::fs::write(&out, "yesterday's report").unwrap();
        let r = write_out(Some(&out), |w| {
            w.write_all(b"half of today's")
                .map_err(records::StoreError::Output)?;
            Err(records::StoreError::Db("the database went away".into()))
        });
        assert!(matches!(r, Err(CliError::Msg(m)) if m.contains("went away")));
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "yesterday's report");
        let names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["report.html"]);

        // A successful one replaces it whole.
        let n = write_out(Some(&out), |w| {
            w.write_all(b"today's report")
                .map_err(records::StoreError::Output)?;
            Ok(1)
        })
        .unwrap();
        assert_eq!(n, 1);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "today's report");
    }
}
