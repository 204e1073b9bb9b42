//! Plain text, Markdown and HTML through extract and merge.
