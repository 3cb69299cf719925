//! What a case is, and helpers its bodies share.

use codesign::{backends, Backend, Config, Kernel, Outcome};
use codesign_models::Values;

/// An ability a backend may lack; cases that need it run only where it is present.
#[derive(Debug, Clone, Copy)]
pub enum Ability {
    /// Cycle-accurate simulation: exact cycle counts and bus-level back-pressure.
    ExactCycles,
    /// Only this backend (cases about one backend's own machinery, e.g. board-sim's drivers).
    Backend(&'static str),
    /// A backend whose outputs do not come from the golden model itself (every one but
    /// `golden`), for cases that compare with the golden model.
    Independent,
}

/// Whether a case needing `needs` is generated for `config`'s backend.
pub fn has_ability(needs: Option<Ability>, config: &Config, backend: &dyn Backend) -> bool {
    match needs {
        None => true,
        Some(Ability::ExactCycles) => backend.counts_cycles(),
        Some(Ability::Backend(name)) => config.backend == name,
        Some(Ability::Independent) => config.backend != "golden",
    }
}

/// The test body: gets the backend's config, returns a failure message.
pub type Body = Box<dyn Fn(&Config) -> Result<(), String> + Send + Sync>;

/// One test case, run once per selected backend.
pub struct Case {
    /// Kernel name.
    pub kernel: String,
    /// Case name.
    pub name: String,
    /// Ability the case needs (`None`: every backend).
    pub needs: Option<Ability>,
    /// The test.
    pub body: Body,
}

impl Case {
    /// A case of `kernel` for every backend, from a plain function.
    pub fn any_backend(kernel: &str, name: &str, body: fn(&Config) -> Result<(), String>) -> Case {
        Case::needing(kernel, name, None, body)
    }

    /// A case of `kernel` for the backends that have `needs`.
    pub fn needing(kernel: &str, name: &str, needs: Option<Ability>, body: fn(&Config) -> Result<(), String>) -> Case {
        Case { kernel: kernel.to_owned(), name: name.to_owned(), needs, body: Box::new(body) }
    }
}

/// Opens the backend of `config` and the kernel.
pub fn open(config: &Config, kernel: &str) -> Result<(Box<dyn Backend>, Kernel), String> {
    let backend = backends::open(config).map_err(|e| e.to_string())?;
    let kernel = Kernel::named(kernel).map_err(|e| e.to_string())?;
    Ok((backend, kernel))
}

/// Calls the backend, turning its error into a message.
pub fn call(backend: &mut dyn Backend, kernel: &Kernel, inputs: &Values) -> Result<Outcome, String> {
    backend.call(kernel, inputs).map_err(|e| format!("{} failed: {e}", backend.name()))
}

/// Asserts equality with a message naming the first differing element.
pub fn expect_eq<T: PartialEq + std::fmt::Debug>(what: &str, expected: &[T], got: &[T]) -> Result<(), String> {
    if let Some(i) = expected.iter().zip(got).position(|(e, g)| e != g) {
        return Err(format!("{what}: element {i}: expected {:?}, got {:?}", expected[i], got[i]));
    }
    if expected.len() != got.len() {
        return Err(format!("{what}: expected {} elements, got {}", expected.len(), got.len()));
    }
    Ok(())
}
