//! XLIFF 2 validation (being written).
