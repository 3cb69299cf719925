//! The `xrt` backend: a Vitis platform through XRT's C API (xrtDeviceOpen,
//! xrtDeviceLoadXclbinFile, xrtPLKernelOpen, xrtBOAlloc/Map/Sync, xrtRunOpen/SetArg/Start/
//! WaitFor), with libxrt_coreutil loaded at run time ([`api`]): always built, and a machine
//! without XRT fails at open naming the library.
//!
//! A call: one buffer object per `m_axi` buffer, sized by the manifest's length rule, input
//! ones written through the mapping and synced to the device; scalars passed at their width
//! (64-bit ones as `uint64_t`); arguments indexed in the HLS function's order (the
//! manifest's `csim.args`); the run awaited for `xrt.timeout-ms`; output buffers synced back
//! and read at their length. Every return code is checked. AXI4-Stream arguments are refused:
//! XRT streams need a platform with stream support. `library: stand-in` loads the in-tree
//! stand-in whose card is cosim ([`standin`]), so CI runs this code without a card.

pub mod api;
pub mod standin;

use std::ffi::{c_int, c_uint, CString};
use std::time::Instant;

use codesign_hw::manifest::ArgDirection;
use codesign_models::Values;

use self::api::{Api, Handle, COMPLETED, SYNC_FROM_DEVICE, SYNC_TO_DEVICE};
use super::zynq::call::{check_kernel, pack, unpack};
use crate::config::XrtConfig;
use crate::{Backend, Error, Kernel, Outcome, Report};

fn fail(message: String) -> Error {
    Error::Backend { backend: "xrt".to_owned(), source: message.into() }
}

/// A failed XRT call: its name, what it returned and errno's reading (XRT logs the
/// exception's message itself, on stderr).
fn call_failed(call: &str, what: String) -> Error {
    let errno = std::io::Error::last_os_error();
    fail(format!("{call} failed ({what}): {errno}; XRT's message is in its log (stderr)"))
}

fn check(call: &str, code: c_int) -> Result<(), Error> {
    if code == 0 {
        return Ok(());
    }
    let meaning = std::io::Error::from_raw_os_error(code.abs());
    Err(fail(format!("{call} returned {code} ({meaning}); XRT's message is in its log (stderr)")))
}

fn non_null(call: &str, handle: Handle) -> Result<Handle, Error> {
    if handle.is_null() {
        return Err(call_failed(call, "returned NULL".to_owned()));
    }
    Ok(handle)
}

/// Closes an XRT handle when dropped (kernel, run, buffer object).
struct Owned {
    handle: Handle,
    close: unsafe extern "C" fn(Handle) -> c_int,
}

impl Drop for Owned {
    fn drop(&mut self) {
        // SAFETY: the handle came from the matching open/alloc and is closed once.
        unsafe { (self.close)(self.handle) };
    }
}

/// A device with one xclbin loaded.
pub struct Xrt {
    /// Closed before `api` unloads the library (fields drop in order).
    device: Owned,
    api: Api,
    uuid: [u8; 16],
    config: XrtConfig,
}

impl std::fmt::Debug for Xrt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Xrt").field("library", &self.config.library).field("xclbin", &self.config.xclbin).finish_non_exhaustive()
    }
}

impl Xrt {
    /// Loads the library, opens the device and loads the xclbin; each failure names what
    /// failed (the library path, the device index, the xclbin).
    pub fn open(config: &XrtConfig) -> Result<Self, Error> {
        let path = if config.library == standin::NAME { standin::LIBRARY } else { config.library.as_str() };
        let api = Api::load(path).map_err(|message| fail(format!("{message} (config key xrt.library)")))?;
        if config.library == standin::NAME {
            standin::install(&api)?;
        }
        let xclbin = CString::new(config.xclbin.display().to_string()).map_err(|e| fail(format!("xrt.xclbin: {e}")))?;
        // SAFETY: C calls with valid arguments; every handle is checked before use.
        unsafe {
            let device = non_null(&format!("xrtDeviceOpen({}) (xrt.device)", config.device), (api.device_open)(config.device))?;
            let device = Owned { handle: device, close: api.device_close };
            check(
                &format!("xrtDeviceLoadXclbinFile({}) (xrt.xclbin)", config.xclbin.display()),
                (api.load_xclbin_file)(device.handle, xclbin.as_ptr()),
            )?;
            let mut uuid = [0u8; 16];
            check("xrtDeviceGetXclbinUUID", (api.xclbin_uuid)(device.handle, uuid.as_mut_ptr()))?;
            Ok(Xrt { api, device, uuid, config: config.clone() })
        }
    }

    /// What XRT cannot run of `kernel`, as an error.
    fn check_supported(kernel: &Kernel) -> Result<&[String], Error> {
        let unsupported = |ability: String| Error::Unsupported { backend: "xrt".to_owned(), ability };
        check_kernel("xrt", kernel)?;
        if let Some(stream) = kernel.manifest.streams.first() {
            return Err(unsupported(format!(
                "AXI4-Stream argument `{}` of kernel `{}`: XRT streams need a platform with stream support \
                 (connect the kernel through mm2s/s2mm datamover kernels in the xclbin instead)",
                stream.name,
                kernel.name()
            )));
        }
        if let Some(arg) = kernel.manifest.args.iter().find(|a| a.direction == ArgDirection::Out) {
            return Err(unsupported(format!(
                "output scalar `{}` of kernel `{}`: XRT's C API returns no scalars (write it to a buffer)",
                arg.name,
                kernel.name()
            )));
        }
        let csim = kernel.manifest.csim.as_ref().ok_or_else(|| {
            fail(format!("kernel `{}`: the manifest has no `csim.args`, the HLS function's argument order XRT indexes by", kernel.name()))
        })?;
        Ok(&csim.args)
    }
}

/// One buffer object of a call.
struct Bo {
    owned: Owned,
    name: String,
    bytes: usize,
    element_bytes: usize,
    output: bool,
}

impl Backend for Xrt {
    fn name(&self) -> &str {
        "xrt"
    }

    /// AXI4-Stream arguments need a platform with stream support: refused.
    fn runs_streams(&self) -> bool {
        false
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        kernel.check_inputs(inputs)?;
        if let Some(graph) = kernel.graph() {
            return crate::graph::compose::call_composed(self, graph, inputs);
        }
        let order = Self::check_supported(kernel)?;
        let wall = Instant::now();
        let api = &self.api;
        let name = CString::new(kernel.name()).map_err(|e| fail(e.to_string()))?;
        let mut outputs = Values::new();
        // SAFETY: C calls on handles checked for null; buffer objects outlive the run (they
        // are dropped after it), mapped pointers are used within their objects' sizes.
        unsafe {
            let k = non_null(
                &format!("xrtPLKernelOpen(`{}`)", kernel.name()),
                (api.kernel_open)(self.device.handle, self.uuid.as_ptr(), name.as_ptr()),
            )?;
            let k = Owned { handle: k, close: api.kernel_close };
            let run = Owned { handle: non_null("xrtRunOpen", (api.run_open)(k.handle))?, close: api.run_close };
            let mut bos: Vec<Bo> = Vec::new();
            for (index, arg_name) in order.iter().enumerate() {
                let index = index as c_int;
                let set_arg = format!("xrtRunSetArg({index}, `{arg_name}`)");
                if let Some(buffer) = kernel.manifest.buffer(arg_name) {
                    let elements = kernel.buffer_len(arg_name, inputs)?;
                    let element_bytes = buffer.element.bits().div_ceil(8) as usize;
                    let bytes = elements * element_bytes;
                    let group = (api.arg_group_id)(k.handle, index);
                    if group < 0 {
                        return Err(call_failed(&format!("xrtKernelArgGroupId({index}, `{arg_name}`)"), format!("returned {group}")));
                    }
                    let bo = non_null(&format!("xrtBOAlloc({bytes} bytes for `{arg_name}`)"), (api.bo_alloc)(self.device.handle, bytes, 0, group as u32))?;
                    let bo = Owned { handle: bo, close: api.bo_free };
                    if buffer.direction.is_input() {
                        let data = pack(inputs.streams.get(arg_name).map(Vec::as_slice).unwrap_or(&[]), element_bytes);
                        let map = non_null(&format!("xrtBOMap(`{arg_name}`)"), (api.bo_map)(bo.handle))?;
                        std::ptr::copy_nonoverlapping(data.as_ptr(), map.cast::<u8>(), data.len().min(bytes));
                        check(&format!("xrtBOSync(`{arg_name}`, to device)"), (api.bo_sync)(bo.handle, SYNC_TO_DEVICE, bytes, 0))?;
                    }
                    check(&set_arg, (api.run_set_arg)(run.handle, index, bo.handle))?;
                    bos.push(Bo { owned: bo, name: arg_name.clone(), bytes, element_bytes, output: buffer.direction.is_output() });
                } else if let Some(arg) = kernel.manifest.args.iter().find(|a| &a.name == arg_name) {
                    let value = inputs.scalars.get(&arg.name).copied().unwrap_or(0);
                    // XRT reads the variadic value at the argument's width from the xclbin.
                    let code = if arg.width == 64 {
                        (api.run_set_arg)(run.handle, index, value)
                    } else {
                        (api.run_set_arg)(run.handle, index, value as c_uint)
                    };
                    check(&set_arg, code)?;
                } else {
                    return Err(fail(format!("kernel `{}`: csim.args names `{arg_name}`, neither a buffer nor an argument", kernel.name())));
                }
            }
            check("xrtRunStart", (api.run_start)(run.handle))?;
            let timeout = self.config.timeout_ms.min(u64::from(c_uint::MAX)) as c_uint;
            let state = (api.run_wait_for)(run.handle, timeout);
            if state != COMPLETED {
                return Err(fail(format!(
                    "kernel `{}`: the run is {} ({state}) after xrtRunWaitFor({timeout} ms, xrt.timeout-ms); XRT's message is in its log (stderr)",
                    kernel.name(),
                    api::state_name(state)
                )));
            }
            for bo in bos.iter().filter(|b| b.output) {
                check(&format!("xrtBOSync(`{}`, from device)", bo.name), (api.bo_sync)(bo.owned.handle, SYNC_FROM_DEVICE, bo.bytes, 0))?;
                let map = non_null(&format!("xrtBOMap(`{}`)", bo.name), (api.bo_map)(bo.owned.handle))?;
                let bytes = std::slice::from_raw_parts(map.cast::<u8>(), bo.bytes);
                outputs.streams.insert(bo.name.clone(), unpack(bytes, bo.element_bytes));
            }
            drop(bos);
            drop(run);
        }
        Ok(Outcome { outputs, report: Report { wall: wall.elapsed(), ..Report::default() } })
    }
}
