//! Zip packages (DOCX) read with limits against bombs and unsafe names, and written back
//! with every part that was not changed copied as it was.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::error::FilterError;

/// Limits on what a package may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file, in bytes.
    pub max_input: u64,
    /// Most entries in a package.
    pub max_entries: usize,
    /// Largest total of the entries' uncompressed sizes.
    pub max_total: u64,
    /// Largest uncompressed size of one part that is read.
    pub max_part: u64,
    /// Highest ratio of uncompressed to compressed size for an entry over 1 MiB.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_input: 512 << 20,
            max_entries: 20_000,
            max_total: 2 << 30,
            max_part: 64 << 20,
            max_ratio: 1_000,
        }
    }
}

/// An opened package.
pub struct Package<'a> {
    name: String,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
}

impl<'a> Package<'a> {
    /// Opens a package and checks every entry's name and size before anything is read.
    pub fn open(bytes: &'a [u8], name: &str, limits: Limits) -> Result<Package<'a>, FilterError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|error| {
            FilterError::package(name, format!("not a readable zip package: {error}"))
        })?;
        if archive.len() > limits.max_entries {
            return Err(FilterError::package(
                name,
                format!(
                    "{} entries, more than the limit of {}",
                    archive.len(),
                    limits.max_entries
                ),
            ));
        }
        let mut package = Package {
            name: name.to_string(),
            archive,
            limits,
        };
        package.check_entries()?;
        Ok(package)
    }

    fn check_entries(&mut self) -> Result<(), FilterError> {
        let mut total: u64 = 0;
        for index in 0..self.archive.len() {
            let entry = self.archive.by_index_raw(index).map_err(|error| {
                FilterError::package(&self.name, format!("entry {index}: {error}"))
            })?;
            let entry_name = entry
                .name()
                .map_err(|error| {
                    FilterError::package(
                        &self.name,
                        format!("entry {index}: unreadable name: {error}"),
                    )
                })?
                .to_string();
            check_entry_name(&self.name, &entry_name)?;
            let size = entry.size();
            let compressed = entry.compressed_size().max(1);
            total = total.saturating_add(size);
            if size > 1 << 20 && size / compressed > self.limits.max_ratio {
                return Err(FilterError::package(
                    &self.name,
                    format!(
                        "entry {entry_name} expands {}× ({size} bytes from {compressed}): refused as a zip bomb",
                        size / compressed
                    ),
                ));
            }
        }
        if total > self.limits.max_total {
            return Err(FilterError::package(
                &self.name,
                format!(
                    "entries expand to {total} bytes, more than the limit of {}",
                    self.limits.max_total
                ),
            ));
        }
        Ok(())
    }

    /// Names of the entries, in package order.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(|name| name.ok().map(|n| n.to_string()))
            .collect()
    }

    /// The text of a part, read with the size limit whatever its header says.
    pub fn read_text(&mut self, part: &str) -> Result<Option<String>, FilterError> {
        let Some(index) = self.archive.index_for_name(part) else {
            return Ok(None);
        };
        let mut entry = self
            .archive
            .by_index(index)
            .map_err(|error| FilterError::package(&self.name, format!("{part}: {error}")))?;
        if entry.size() > self.limits.max_part {
            return Err(FilterError::package(
                &self.name,
                format!(
                    "{part} expands to {} bytes, past the limit of {} bytes for one part",
                    entry.size(),
                    self.limits.max_part
                ),
            ));
        }
        let mut bytes = Vec::with_capacity(entry.size().min(self.limits.max_part) as usize);
        (&mut entry)
            .take(self.limits.max_part + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| FilterError::package(&self.name, format!("{part}: {error}")))?;
        if bytes.len() as u64 > self.limits.max_part {
            return Err(FilterError::package(
                &self.name,
                format!(
                    "{part} expands past the limit of {} bytes for one part",
                    self.limits.max_part
                ),
            ));
        }
        let bytes = bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .map(<[u8]>::to_vec)
            .unwrap_or(bytes);
        String::from_utf8(bytes).map(Some).map_err(|error| {
            FilterError::package(&self.name, format!("{part} is not UTF-8: {error}"))
        })
    }

    /// Writes the package again: parts in `replaced` with their new text, every other entry
    /// copied without being decompressed.
    pub fn rewrite(&mut self, replaced: &HashMap<String, String>) -> Result<Vec<u8>, FilterError> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let fail = |error: &dyn std::fmt::Display| {
            FilterError::package(&self.name, format!("writing: {error}"))
        };
        for index in 0..self.archive.len() {
            let entry = self.archive.by_index_raw(index).map_err(|e| fail(&e))?;
            let name = entry.name().map_err(|e| fail(&e))?.to_string();
            match replaced.get(&name) {
                Some(text) => {
                    let options = SimpleFileOptions::default()
                        .compression_method(entry.compression())
                        .last_modified_time(entry.last_modified().unwrap_or_default());
                    drop(entry);
                    writer
                        .start_file(name.as_str(), options)
                        .map_err(|e| fail(&e))?;
                    writer.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
                }
                None => writer.raw_copy_file(entry).map_err(|e| fail(&e))?,
            }
        }
        let cursor = writer.finish().map_err(|e| fail(&e))?;
        Ok(cursor.into_inner())
    }
}

/// Refuses entry names that could point outside a folder if the package were unpacked.
fn check_entry_name(file: &str, name: &str) -> Result<(), FilterError> {
    let unsafe_name = name.starts_with('/')
        || name.contains('\\')
        || name.contains('\0')
        || name.split('/').any(|component| component == "..")
        || name.as_bytes().get(1) == Some(&b':');
    if unsafe_name {
        return Err(FilterError::package(
            file,
            format!("entry name {name:?} points outside the package: refused"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .expect("entry");
            writer.write_all(data).expect("write");
        }
        writer.finish().expect("finish").into_inner()
    }

    #[test]
    fn a_part_expanding_past_the_limit_is_refused_before_it_is_read() {
        // Letters that do not compress much (a zip bomb is refused by another rule).
        let mut seed = 7u32;
        let big: Vec<u8> = (0..3 << 20)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                b'a' + (seed >> 16) as u8 % 26
            })
            .collect();
        let bytes = zip_of(&[("word/document.xml", &big)]);
        let limits = Limits {
            max_part: 1 << 20,
            ..Limits::default()
        };
        let mut package = Package::open(&bytes, "big.docx", limits).expect("opens");
        let error = package
            .read_text("word/document.xml")
            .expect_err("too big")
            .to_string();
        assert!(
            error.contains("past the limit of 1048576 bytes for one part"),
            "{error}"
        );
        assert!(
            Limits::default().max_part <= 64 << 20,
            "a part of a document stays small"
        );
    }

    #[test]
    fn traversal_names_are_refused() {
        for bad in [
            "../evil.xml",
            "word/../../evil.xml",
            "/etc/passwd",
            "C:/x",
            "a\\b",
        ] {
            let bytes = zip_of(&[("word/document.xml", b"<a/>"), (bad, b"x")]);
            let error = Package::open(&bytes, "t.docx", Limits::default())
                .err()
                .expect("refused");
            assert!(
                error.to_string().contains("outside the package"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn bombs_are_refused() {
        let zeros = vec![0u8; 32 << 20];
        let bytes = zip_of(&[("word/document.xml", &zeros)]);
        let error = Package::open(&bytes, "bomb.docx", Limits::default())
            .err()
            .expect("refused");
        assert!(error.to_string().contains("zip bomb"), "{error}");
        let limits = Limits {
            max_total: 1 << 20,
            ..Limits::default()
        };
        let bytes = zip_of(&[("a.xml", &[b'a'; 600 << 10]), ("b.xml", &[b'b'; 600 << 10])]);
        let error = Package::open(&bytes, "big.docx", limits)
            .err()
            .expect("refused");
        assert!(error.to_string().contains("more than the limit"), "{error}");
    }

    #[test]
    fn rewrite_replaces_one_part_and_copies_the_rest() {
        let bytes = zip_of(&[("a.xml", b"<a/>"), ("b.bin", b"\x00\x01")]);
        let mut package = Package::open(&bytes, "t.zip", Limits::default()).expect("opens");
        let replaced = HashMap::from([("a.xml".to_string(), "<b/>".to_string())]);
        let written = package.rewrite(&replaced).expect("writes");
        let mut again = Package::open(&written, "t.zip", Limits::default()).expect("opens");
        assert_eq!(again.names(), ["a.xml", "b.bin"]);
        assert_eq!(
            again.read_text("a.xml").expect("reads").as_deref(),
            Some("<b/>")
        );
    }
}
