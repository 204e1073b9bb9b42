//! The content model is `stdbridge-content`'s; what only filters need is here.

pub use stdbridge_content::model::*;

use crate::error::FilterError;

/// The text of a UTF-8 input (a byte-order mark is skipped), or an error naming the file
/// and the first bad byte.
pub fn utf8<'i>(input: &'i [u8], name: &str) -> Result<&'i str, FilterError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    std::str::from_utf8(input).map_err(|error| {
        FilterError::invalid(
            name,
            format!("not UTF-8 (byte {}): save it as UTF-8", error.valid_up_to()),
        )
    })
}
