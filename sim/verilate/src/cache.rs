//! Content-keyed cache entries shared by concurrent builds (cargo profiles, checkouts): built
//! once under a lock, into a temporary folder renamed into place only when it succeeded.

use std::path::{Path, PathBuf};

/// Makes the folder `entry` with `build` unless `done(entry)` already holds, and says whether
/// it built. Builders of the same entry wait on `<entry>.lock` and then find it done; a failed
/// build leaves nothing. `io` turns a file-system error on a path into the caller's error.
pub fn build_once<E>(
    entry: &Path,
    done: impl Fn(&Path) -> bool,
    io: impl Fn(&Path, std::io::Error) -> E,
    build: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<bool, E> {
    if done(entry) {
        return Ok(false);
    }
    let parent = entry.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    let sibling = |suffix: String| -> PathBuf {
        let name = entry.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        parent.join(format!("{name}{suffix}"))
    };
    let lock_path = sibling(".lock".to_owned());
    let lock = std::fs::File::create(&lock_path).map_err(|e| io(&lock_path, e))?;
    lock.lock().map_err(|e| io(&lock_path, e))?;
    if done(entry) {
        return Ok(false);
    }
    let scratch = sibling(format!(".tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| io(&scratch, e))?;
    if let Err(error) = build(&scratch) {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(error);
    }
    std::fs::rename(&scratch, entry).map_err(|e| io(entry, e))?;
    Ok(true)
}
