//! Samples under ../shared.
