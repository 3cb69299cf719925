//! The subset of XRT's C API (xrt/xrt_device.h, xrt_kernel.h, xrt_bo.h) the backend calls,
//! loaded from a shared library at run time: no XRT install is needed to build, and a
//! missing library is an error at `open`, not a link failure.

use std::ffi::{c_char, c_int, c_uint, c_void};

use libloading::Library;

/// An XRT handle (device, kernel, run, buffer object).
pub type Handle = *mut c_void;

/// `XCL_BO_SYNC_BO_TO_DEVICE`, `XCL_BO_SYNC_BO_FROM_DEVICE`.
pub const SYNC_TO_DEVICE: c_int = 0;
/// See [`SYNC_TO_DEVICE`].
pub const SYNC_FROM_DEVICE: c_int = 1;

/// `enum ert_cmd_state`, by name.
pub fn state_name(state: c_int) -> &'static str {
    match state {
        1 => "NEW",
        2 => "QUEUED",
        3 => "RUNNING",
        4 => "COMPLETED",
        5 => "ERROR",
        6 => "ABORT",
        7 => "SUBMITTED",
        8 => "TIMEOUT",
        9 => "NORESPONSE",
        _ => "unknown",
    }
}

/// `ERT_CMD_STATE_COMPLETED`.
pub const COMPLETED: c_int = 4;

/// Function pointers into a loaded libxrt_coreutil (or the stand-in), valid while `library`
/// lives.
#[allow(missing_docs)]
pub struct Api {
    pub library: Library,
    pub device_open: unsafe extern "C" fn(c_uint) -> Handle,
    pub device_close: unsafe extern "C" fn(Handle) -> c_int,
    pub load_xclbin_file: unsafe extern "C" fn(Handle, *const c_char) -> c_int,
    pub xclbin_uuid: unsafe extern "C" fn(Handle, *mut u8) -> c_int,
    pub kernel_open: unsafe extern "C" fn(Handle, *const u8, *const c_char) -> Handle,
    pub kernel_close: unsafe extern "C" fn(Handle) -> c_int,
    pub arg_group_id: unsafe extern "C" fn(Handle, c_int) -> c_int,
    pub bo_alloc: unsafe extern "C" fn(Handle, usize, u64, u32) -> Handle,
    pub bo_free: unsafe extern "C" fn(Handle) -> c_int,
    pub bo_map: unsafe extern "C" fn(Handle) -> *mut c_void,
    pub bo_sync: unsafe extern "C" fn(Handle, c_int, usize, usize) -> c_int,
    pub run_open: unsafe extern "C" fn(Handle) -> Handle,
    pub run_set_arg: unsafe extern "C" fn(Handle, c_int, ...) -> c_int,
    pub run_start: unsafe extern "C" fn(Handle) -> c_int,
    pub run_wait_for: unsafe extern "C" fn(Handle, c_uint) -> c_int,
    pub run_close: unsafe extern "C" fn(Handle) -> c_int,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api").finish_non_exhaustive()
    }
}

impl Api {
    /// Loads `path` and resolves every function; the error names the library or the symbol.
    pub fn load(path: &str) -> Result<Api, String> {
        // SAFETY: loading runs the library's initialisers; XRT's (and the stand-in's) are
        // ordinary C/C++ static constructors.
        let library = unsafe { Library::new(path) }.map_err(|e| format!("cannot load XRT library `{path}`: {e}"))?;
        macro_rules! symbol {
            ($name:literal) => {
                // SAFETY: the type is the C API's signature of this symbol (xrt/*.h).
                *unsafe { library.get(concat!($name, "\0").as_bytes()) }
                    .map_err(|e| format!("XRT library `{path}` has no `{}`: {e}", $name))?
            };
        }
        Ok(Api {
            device_open: symbol!("xrtDeviceOpen"),
            device_close: symbol!("xrtDeviceClose"),
            load_xclbin_file: symbol!("xrtDeviceLoadXclbinFile"),
            xclbin_uuid: symbol!("xrtDeviceGetXclbinUUID"),
            kernel_open: symbol!("xrtPLKernelOpen"),
            kernel_close: symbol!("xrtKernelClose"),
            arg_group_id: symbol!("xrtKernelArgGroupId"),
            bo_alloc: symbol!("xrtBOAlloc"),
            bo_free: symbol!("xrtBOFree"),
            bo_map: symbol!("xrtBOMap"),
            bo_sync: symbol!("xrtBOSync"),
            run_open: symbol!("xrtRunOpen"),
            run_set_arg: symbol!("xrtRunSetArg"),
            run_start: symbol!("xrtRunStart"),
            run_wait_for: symbol!("xrtRunWaitFor"),
            run_close: symbol!("xrtRunClose"),
            library,
        })
    }
}
