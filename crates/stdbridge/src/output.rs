//! Standard output that ends quietly when its reader has gone, as in
//! `stdbridge search "" --limit 400 | head -1`: `println!` would panic there.

use std::fmt;
use std::io::{self, Write};

/// Prints a line, as `println!` does.
macro_rules! outln {
    () => {
        $crate::output::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Prints without a line break, as `print!` does.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write(format_args!($($arg)*))
    };
}

/// Writes to standard output; a closed pipe ends the process with status 0 (the reader
/// has what it wanted), any other failure with a message and status 1.
pub fn write(args: fmt::Arguments<'_>) {
    if let Err(error) = io::stdout().lock().write_fmt(args) {
        exit_on_write_error(&error);
    }
}

/// Ends the process after a failed write to standard output.
pub fn exit_on_write_error(error: &io::Error) -> ! {
    if error.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: writing to standard output: {error}");
    std::process::exit(1);
}

/// Whether an error comes from standard output's reader having gone.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|error| error.kind() == io::ErrorKind::BrokenPipe)
    })
}
