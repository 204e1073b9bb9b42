//! The demo data, embedded in the binary so that `stdbridge demo` and `serve --demo`
//! work anywhere.
//! What each file is and where it comes from: `demo/SOURCES.md`.

/// One embedded file: its name under the demo directory and its bytes.
pub struct DemoFile {
    /// Relative path, as in the repository's `demo/` directory.
    pub name: &'static str,
    /// Contents.
    pub bytes: &'static [u8],
}

macro_rules! demo_file {
    ($name:literal) => {
        DemoFile {
            name: $name,
            bytes: include_bytes!(concat!("../../../demo/", $name)),
        }
    };
}

/// Reference data first, so that standards can be shown with their classification names.
pub const FILES: &[DemoFile] = &[
    demo_file!("reference/ICS.csv"),
    demo_file!("reference/ccs-level1.csv"),
    demo_file!("reference/ccs-level2.csv"),
    demo_file!("reference/ccs-level3.csv"),
    demo_file!("reference/country-codes.csv"),
    demo_file!("reference/bodies.jsonl"),
    demo_file!("catalog/iso-demo.jsonl"),
    demo_file!("catalog/cn-standards.csv"),
    demo_file!("SOURCES.md"),
];

/// The demo translation memory (TICO-19).
pub const MEMORY_TMX: DemoFile = demo_file!("translation/tico19-en-zh.tmx");

/// The demo termbase of standards' wording.
pub const TERMBASE_CSV: DemoFile = demo_file!("translation/standards-terms.csv");
