//! The `codesign` command; everything lives in `codesign::cli`.

fn main() -> std::process::ExitCode {
    // A reader that closes the pipe early (`codesign run | head`) ends the command as it ends
    // any Unix tool; Rust ignores SIGPIPE, and println! would panic on the closed pipe.
    // SAFETY: called before any other thread exists; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    codesign::cli::main()
}
