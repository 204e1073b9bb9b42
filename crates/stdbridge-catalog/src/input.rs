//! Reading import files: transparent gzip, lines as bytes (so a line that is not UTF-8
//! is one rejected line, not a failed file), and a count of bytes read for progress.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::MultiGzDecoder;

use crate::CatalogError;

/// Bytes read so far from the file on disk (compressed bytes for `.gz`).
#[derive(Clone, Default, Debug)]
pub struct ReadCounter(Arc<AtomicU64>);

impl ReadCounter {
    /// Bytes read so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Counting<R> {
    inner: R,
    counter: ReadCounter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.0.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a file for reading, decompressing it when it is gzip (by magic number, not name).
pub fn open(path: &Path, counter: &ReadCounter) -> Result<Box<dyn BufRead + Send>, CatalogError> {
    let file = File::open(path).map_err(|source| CatalogError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut buffered = BufReader::with_capacity(
        256 * 1024,
        Counting {
            inner: file,
            counter: counter.clone(),
        },
    );
    let magic = buffered.fill_buf().map_err(|source| CatalogError::Io {
        path: path.to_owned(),
        source,
    })?;
    if magic.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(buffered),
        )))
    } else {
        Ok(Box::new(buffered))
    }
}

/// Reads the whole file as text (for YAML, single JSON documents and CSV).
pub fn read_to_string(path: &Path, counter: &ReadCounter) -> Result<String, CatalogError> {
    let mut reader = open(path, counter)?;
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|source| read_error(path, None, source))?;
    String::from_utf8(bytes).map_err(|error| CatalogError::NotUtf8 {
        path: path.to_owned(),
        offset: error.utf8_error().valid_up_to(),
    })
}

/// A line of a JSON Lines file: its number (from 1) and its text, or why it is unreadable.
pub type Line = (u64, Result<String, String>);

/// The longest line read: a longer one is rejected (and skipped) without being kept in
/// memory. No record of a real catalogue comes near.
pub const MAX_LINE: usize = 16 << 20;

/// Iterates over the lines of a reader. I/O errors (a truncated or corrupt gzip stream)
/// end the iteration with a fatal error naming the line.
pub struct Lines<'a> {
    reader: Box<dyn BufRead + Send + 'a>,
    path: &'a Path,
    number: u64,
    buffer: Vec<u8>,
}

impl<'a> Lines<'a> {
    /// Lines of `reader`, which was opened from `path`.
    pub fn new(reader: Box<dyn BufRead + Send + 'a>, path: &'a Path) -> Self {
        Lines {
            reader,
            path,
            number: 0,
            buffer: Vec::with_capacity(16 * 1024),
        }
    }

    /// The next line, `None` at the end, or a fatal read error.
    pub fn next_line(&mut self) -> Result<Option<Line>, CatalogError> {
        self.buffer.clear();
        let line = self.number + 1;
        let read = (&mut self.reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut self.buffer)
            .map_err(|source| read_error(self.path, Some(line), source))?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        if self.buffer.len() > MAX_LINE && self.buffer.last() != Some(&b'\n') {
            let skipped = self.skip_rest_of_line()?;
            self.buffer.clear();
            return Ok(Some((
                self.number,
                Err(format!(
                    "the line has {} bytes; at most {MAX_LINE} are allowed",
                    MAX_LINE as u64 + 1 + skipped
                )),
            )));
        }
        while matches!(self.buffer.last(), Some(b'\n' | b'\r')) {
            self.buffer.pop();
        }
        let text = match std::str::from_utf8(&self.buffer) {
            Ok(text) => Ok(text.to_owned()),
            Err(error) => Err(format!(
                "not UTF-8 (invalid byte at column {})",
                error.valid_up_to() + 1
            )),
        };
        Ok(Some((self.number, text)))
    }
}

impl Lines<'_> {
    /// Reads past the end of the current line without keeping it; returns the bytes
    /// skipped.
    fn skip_rest_of_line(&mut self) -> Result<u64, CatalogError> {
        let mut skipped = 0u64;
        loop {
            let available = self
                .reader
                .fill_buf()
                .map_err(|source| read_error(self.path, Some(self.number), source))?;
            if available.is_empty() {
                return Ok(skipped);
            }
            match available.iter().position(|b| *b == b'\n') {
                Some(at) => {
                    self.reader.consume(at + 1);
                    return Ok(skipped + at as u64);
                }
                None => {
                    let len = available.len();
                    self.reader.consume(len);
                    skipped += len as u64;
                }
            }
        }
    }
}

fn read_error(path: &Path, line: Option<u64>, source: std::io::Error) -> CatalogError {
    let truncated = matches!(source.kind(), std::io::ErrorKind::UnexpectedEof);
    CatalogError::Read {
        path: path.to_owned(),
        line,
        reason: if truncated {
            "the file ends in the middle of compressed data (truncated download?)".to_owned()
        } else {
            source.to_string()
        },
    }
}
