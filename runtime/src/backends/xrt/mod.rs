//! The `xrt` backend (cargo feature `xrt`, off by default): Vitis platforms through the XRT
//! C API (xrtDeviceOpen, xrtDeviceLoadXclbinFile, xrtPLKernelOpen, xrtBOAlloc/Map/Sync,
//! xrtRunOpen/SetArg/Start/WaitFor). It needs an XRT install to link (libxrt_coreutil), so
//! it is not built by default and not tested here. Streams are memory-mapped buffers the
//! kernel's datamover reads (a Vitis AXI4-Stream kernel is connected through a platform
//! mm2s/s2mm kernel); the xclbin comes from `CODESIGN_XCLBIN`.

use std::ffi::{c_char, c_int, c_uint, c_void, CString};
use std::time::Instant;

use codesign_models::Values;

use crate::{Backend, Error, Kernel, Outcome, Report};

#[allow(non_camel_case_types)]
type xrtHandle = *mut c_void;

#[link(name = "xrt_coreutil")]
extern "C" {
    fn xrtDeviceOpen(index: c_uint) -> xrtHandle;
    fn xrtDeviceClose(device: xrtHandle) -> c_int;
    fn xrtDeviceLoadXclbinFile(device: xrtHandle, path: *const c_char) -> c_int;
    fn xrtDeviceGetXclbinUUID(device: xrtHandle, uuid: *mut u8) -> c_int;
    fn xrtPLKernelOpen(device: xrtHandle, uuid: *const u8, name: *const c_char) -> xrtHandle;
    fn xrtKernelClose(kernel: xrtHandle) -> c_int;
    fn xrtKernelArgGroupId(kernel: xrtHandle, argno: c_int) -> c_int;
    fn xrtBOAlloc(device: xrtHandle, size: usize, flags: u64, group: u64) -> xrtHandle;
    fn xrtBOFree(bo: xrtHandle) -> c_int;
    fn xrtBOWrite(bo: xrtHandle, src: *const c_void, size: usize, seek: usize) -> c_int;
    fn xrtBORead(bo: xrtHandle, dst: *mut c_void, size: usize, skip: usize) -> c_int;
    fn xrtBOSync(bo: xrtHandle, dir: c_int, size: usize, offset: usize) -> c_int;
    fn xrtRunOpen(kernel: xrtHandle) -> xrtHandle;
    fn xrtRunSetArg(run: xrtHandle, index: c_int, ...) -> c_int;
    fn xrtRunStart(run: xrtHandle) -> c_int;
    fn xrtRunWaitFor(run: xrtHandle, timeout_ms: c_uint) -> c_int;
    fn xrtRunClose(run: xrtHandle) -> c_int;
}

/// XCL_BO_SYNC_BO_TO_DEVICE / FROM_DEVICE.
const TO_DEVICE: c_int = 0;
const FROM_DEVICE: c_int = 1;
/// ERT_CMD_STATE_COMPLETED.
const COMPLETED: c_int = 4;

fn fail(message: String) -> Error {
    Error::Backend { backend: "xrt".to_owned(), source: message.into() }
}

/// A Vitis device with one xclbin loaded.
#[derive(Debug)]
pub struct Xrt {
    device: xrtHandle,
    uuid: [u8; 16],
}

impl Xrt {
    /// Opens device 0 and loads `$CODESIGN_XCLBIN`.
    pub fn open() -> Result<Self, Error> {
        let xclbin = std::env::var("CODESIGN_XCLBIN").map_err(|_| fail("set CODESIGN_XCLBIN to the .xclbin to load".into()))?;
        let path = CString::new(xclbin.clone()).map_err(|e| fail(e.to_string()))?;
        // SAFETY: plain C calls; handles are checked for null before use.
        unsafe {
            let device = xrtDeviceOpen(0);
            if device.is_null() {
                return Err(fail("device not found: XRT device 0 (xrtDeviceOpen)".into()));
            }
            if xrtDeviceLoadXclbinFile(device, path.as_ptr()) != 0 {
                xrtDeviceClose(device);
                return Err(fail(format!("cannot load {xclbin}")));
            }
            let mut uuid = [0u8; 16];
            xrtDeviceGetXclbinUUID(device, uuid.as_mut_ptr());
            Ok(Xrt { device, uuid })
        }
    }
}

impl Backend for Xrt {
    /// The DMA drivers move streams; m_axi kernels' buffers are not placed in device memory yet.
    fn runs_m_axi(&self) -> bool {
        false
    }

    fn name(&self) -> &str {
        "xrt"
    }

    fn call(&mut self, kernel: &Kernel, inputs: &Values) -> Result<Outcome, Error> {
        kernel.check_inputs(inputs)?;
        let wall = Instant::now();
        let name = CString::new(kernel.name()).map_err(|e| fail(e.to_string()))?;
        let mut outputs = Values::new();
        // SAFETY: C calls on handles checked for null; buffers outlive the run.
        unsafe {
            let k = xrtPLKernelOpen(self.device, self.uuid.as_ptr(), name.as_ptr());
            if k.is_null() {
                return Err(fail(format!("kernel `{}` is not in the xclbin", kernel.name())));
            }
            let run = xrtRunOpen(k);
            let mut bos = Vec::new();
            for (index, stream) in kernel.manifest.streams.iter().enumerate() {
                let bytes_each = stream.element.bits().div_ceil(8) as usize;
                let elements = inputs.streams.get(&stream.name).map(Vec::as_slice).unwrap_or(&[]);
                let bytes = super::zynq::call::pack(elements, bytes_each);
                let size = bytes.len().max(super::zynq::call::output_capacity(kernel, inputs, stream, 32));
                let group = xrtKernelArgGroupId(k, index as c_int) as u64;
                let bo = xrtBOAlloc(self.device, size, 0, group);
                if !bytes.is_empty() {
                    xrtBOWrite(bo, bytes.as_ptr().cast(), bytes.len(), 0);
                    xrtBOSync(bo, TO_DEVICE, bytes.len(), 0);
                }
                xrtRunSetArg(run, index as c_int, bo);
                bos.push((stream, bo, size, bytes_each));
            }
            let base = kernel.manifest.streams.len();
            for (i, arg) in kernel.manifest.args.iter().enumerate() {
                let value = inputs.scalars.get(&arg.name).copied().unwrap_or(0);
                xrtRunSetArg(run, (base + i) as c_int, value as c_uint);
            }
            xrtRunStart(run);
            let state = xrtRunWaitFor(run, 1000);
            if state != COMPLETED {
                xrtRunClose(run);
                xrtKernelClose(k);
                return Err(fail(format!("kernel `{}`: run state {state} after 1000 ms", kernel.name())));
            }
            for (stream, bo, size, bytes_each) in bos {
                if stream.direction == codesign_hw::manifest::StreamDirection::Out {
                    xrtBOSync(bo, FROM_DEVICE, size, 0);
                    let mut bytes = vec![0u8; size];
                    xrtBORead(bo, bytes.as_mut_ptr().cast(), size, 0);
                    outputs.streams.insert(stream.name.clone(), super::zynq::call::unpack(&bytes, bytes_each));
                }
                xrtBOFree(bo);
            }
            xrtRunClose(run);
            xrtKernelClose(k);
        }
        Ok(Outcome { outputs, report: Report { wall: wall.elapsed(), ..Report::default() } })
    }
}
