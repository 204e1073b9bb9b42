//! Documents that keep their format: DOCX, XLIFF 1.2/2.x, HTML, Markdown and plain text are
//! read into text units (segments with inline codes) and written back with translations,
//! everything but the translated text left as it was.

pub mod api;
pub mod docx;
pub mod docx_build;
pub mod error;
pub mod html;
pub mod markdown;
pub mod model;
pub mod package;
pub mod registry;
pub mod text;
pub mod xliff;
pub mod xmltok;

pub use stdbridge_content::{codes, pseudo, segment};

pub use api::{DocumentFilter, FilterOptions, Format, TrackedChanges, Visitor};
pub use error::FilterError;
pub use model::{Code, CodeKind, Content, Item, Paragraph};
pub use pseudo::pseudo_translate;
pub use registry::{UnitTranslation, extract, filter_for, merge, merge_units, read_input};
pub use segment::{Part, TextUnit};
