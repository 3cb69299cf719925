//! The `codesign` command; everything lives in `codesign::cli`.

fn main() -> std::process::ExitCode {
    codesign::cli::main()
}
