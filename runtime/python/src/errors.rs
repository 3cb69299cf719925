//! Runtime errors as `codesign.errors` exceptions. The exit code of each error comes from the
//! CLI's own classification (`codesign::cli::classify`), so Python and the command line agree.

use codesign::cli::CliError;
use codesign::Error;
use pyo3::prelude::*;

/// The message the CLI prints: the error and each of its causes.
fn message(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!("\n  Caused by: {cause}"));
        source = cause.source();
    }
    text
}

/// What kind of runtime error this is, for the finer exception classes.
fn kind(error: &Error) -> &'static str {
    match error {
        Error::Input { .. } => "input",
        Error::Timeout { .. } | Error::Deadlock { .. } => "timeout",
        Error::Protocol { .. } => "protocol",
        _ => "",
    }
}

/// A runtime error as the `codesign.errors` exception of its exit code.
pub fn runtime(py: Python<'_>, error: Error) -> PyErr {
    let kind = kind(&error);
    cli(py, codesign::cli::classify(error), kind)
}

/// A CLI error (exit code known) as its `codesign.errors` exception.
pub fn cli(py: Python<'_>, error: CliError, kind: &str) -> PyErr {
    let text = message(&error);
    let built = py
        .import("codesign.errors")
        .and_then(|errors| errors.call_method1("_from_runtime", (error.exit_code(), kind, text)));
    match built {
        Ok(exception) => PyErr::from_value(exception),
        Err(import_failed) => import_failed,
    }
}
