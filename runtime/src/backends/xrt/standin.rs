//! The card behind the in-tree STAND-IN for libxrt_coreutil (runtime/xrt-standin/, built by
//! build.rs): `xrt.library: stand-in` loads it, and this file registers the two callbacks
//! through which the stand-in asks for argument kinds (as XRT reads them from the xclbin)
//! and runs a call — on the cosim backend, the kernel's RTL. The xrt backend's own code is
//! the same as on a card; only the library differs.

use std::ffi::{c_char, c_int, CStr};
use std::panic::AssertUnwindSafe;

use codesign_models::Values;

use super::api::Api;
use super::fail;
use crate::backends::cosim::Cosim;
use crate::backends::zynq::call::{pack, unpack};
use crate::config::CosimConfig;
use crate::{Backend, Error, Kernel};

/// The `xrt.library` value that selects the stand-in.
pub const NAME: &str = "stand-in";
/// Where build.rs put the stand-in library.
pub const LIBRARY: &str = env!("CODESIGN_XRT_STANDIN");

/// One argument as the stand-in passes it (`struct standin_arg`).
#[repr(C)]
struct StandinArg {
    kind: c_int,
    value: u64,
    card: *mut u8,
    size: usize,
    /// The buffer object's card address (kept for the C layout; the card here is cosim).
    #[allow(dead_code)]
    address: u64,
}

type ArgKind = extern "C" fn(*const c_char, c_int, *mut c_char, usize) -> c_int;
type Execute = extern "C" fn(*const c_char, c_int, *mut StandinArg, *mut c_char, usize) -> c_int;

/// Registers the callbacks with the loaded stand-in.
pub(super) fn install(api: &Api) -> Result<(), Error> {
    // SAFETY: the stand-in's one extra symbol, `void xrt_standin_register(arg_kind, execute)`.
    unsafe {
        let register = api
            .library
            .get::<unsafe extern "C" fn(ArgKind, Execute)>(b"xrt_standin_register\0")
            .map_err(|e| fail(format!("the XRT stand-in has no xrt_standin_register: {e}")))?;
        register(arg_kind, execute);
    }
    Ok(())
}

/// Copies `message` into the stand-in's error buffer (NUL-terminated, truncated).
fn report(message: &str, error: *mut c_char, len: usize) {
    if error.is_null() || len == 0 {
        return;
    }
    let n = message.len().min(len - 1);
    // SAFETY: the stand-in passes a writable buffer of `len` bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(message.as_ptr(), error.cast::<u8>(), n);
        *error.add(n) = 0;
    }
}

/// Runs `f`, turning an error or a panic into a message for the stand-in and `-1`/`1`.
fn guarded(error: *mut c_char, len: usize, failed: c_int, f: impl FnOnce() -> Result<c_int, String>) -> c_int {
    match std::panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(code)) => code,
        Ok(Err(message)) => {
            report(&message, error, len);
            failed
        }
        Err(_) => {
            report("the stand-in's card (codesign cosim) panicked", error, len);
            failed
        }
    }
}

fn kernel_and_order(name: *const c_char) -> Result<(Kernel, Vec<String>), String> {
    // SAFETY: the stand-in passes the NUL-terminated kernel name it was opened with.
    let name = unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned();
    let kernel = Kernel::named(&name).map_err(|e| e.to_string())?;
    let order = kernel.manifest.csim.as_ref().map(|c| c.args.clone()).ok_or_else(|| format!("kernel `{name}` has no csim.args"))?;
    Ok((kernel, order))
}

/// 0 for a buffer, 4 or 8 for a scalar's bytes, -1 otherwise (message written).
extern "C" fn arg_kind(kernel: *const c_char, index: c_int, error: *mut c_char, len: usize) -> c_int {
    guarded(error, len, -1, || {
        let (kernel, order) = kernel_and_order(kernel)?;
        let name = usize::try_from(index).ok().and_then(|i| order.get(i)).ok_or_else(|| format!("no argument {index}"))?;
        if kernel.manifest.buffer(name).is_some() {
            return Ok(0);
        }
        match kernel.manifest.args.iter().find(|a| &a.name == name) {
            Some(arg) => Ok(if arg.width == 64 { 8 } else { 4 }),
            None => Err(format!("argument {index} (`{name}`) is an AXI4-Stream: this platform has no stream support")),
        }
    })
}

/// Runs the call on cosim: buffers' card copies in, output buffers' card copies out.
extern "C" fn execute(kernel: *const c_char, nargs: c_int, args: *mut StandinArg, error: *mut c_char, len: usize) -> c_int {
    guarded(error, len, 1, || {
        let (kernel, order) = kernel_and_order(kernel)?;
        let count = usize::try_from(nargs).map_err(|_| "negative argument count".to_owned())?;
        if count != order.len() {
            return Err(format!("{count} arguments set, kernel `{}` has {}", kernel.name(), order.len()));
        }
        // SAFETY: the stand-in passes `nargs` initialised arguments.
        let args = unsafe { std::slice::from_raw_parts_mut(args, count) };
        let mut inputs = Values::new();
        for (arg, name) in args.iter().zip(&order) {
            if arg.kind != 0 {
                inputs.scalars.insert(name.clone(), arg.value);
            }
        }
        for (arg, name) in args.iter().zip(&order) {
            let Some(buffer) = kernel.manifest.buffer(name).filter(|b| b.direction.is_input()) else { continue };
            let element_bytes = buffer.element.bits().div_ceil(8) as usize;
            // SAFETY: the card copy of a buffer object of `size` bytes.
            let bytes = unsafe { std::slice::from_raw_parts(arg.card, arg.size) };
            inputs.streams.insert(name.clone(), unpack(bytes, element_bytes));
        }
        let outcome = Cosim::new(CosimConfig::default()).call(&kernel, &inputs).map_err(|e| e.to_string())?;
        for (arg, name) in args.iter().zip(&order) {
            let Some(buffer) = kernel.manifest.buffer(name).filter(|b| b.direction.is_output()) else { continue };
            let data = outcome.outputs.streams.get(name).ok_or_else(|| format!("cosim returned no `{name}`"))?;
            let bytes = pack(data, buffer.element.bits().div_ceil(8) as usize);
            if bytes.len() > arg.size {
                return Err(format!("`{name}`: the kernel wrote {} bytes into a {}-byte buffer object", bytes.len(), arg.size));
            }
            // SAFETY: within the card copy's `size` bytes.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), arg.card, bytes.len()) };
        }
        Ok(0)
    })
}
