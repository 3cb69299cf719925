// ufunc_i32: element-wise NumPy-style ufunc on two AXI4-Stream i32 streams.
//
//   out[i] = a[i] OP b[i], OP selected by the s_axilite scalar `op`:
//     UFUNC_I32_ADD (0)  a + b      (wrapping, two's complement)
//     UFUNC_I32_SUB (1)  a - b      (wrapping)
//     UFUNC_I32_MUL (2)  a * b      (low 32 bits of the product)
//     anything else      0
//   out[i].last = a[i].last; the call ends after the element whose a.last is
//   set (b.last is read and ignored). keep/strb of the output are all ones.
#ifndef UFUNC_I32_H
#define UFUNC_I32_H

#include "ap_axi_sdata.h"
#include "hls_stream.h"

// ap_axis (signed data, ap_int<32>) rather than ap_axiu: the elements are
// NumPy int32, so `data` should read as a signed value on the C side. The
// exported RTL is bit-for-bit the same either way (TDATA[31:0], TKEEP[3:0],
// TSTRB[3:0], TLAST[0:0]; no TUSER/TID/TDEST since those widths are 0).
typedef ap_axis<32, 0, 0, 0> pkt;

enum {
    UFUNC_I32_ADD = 0,
    UFUNC_I32_SUB = 1,
    UFUNC_I32_MUL = 2
};

void ufunc_i32(hls::stream<pkt>& a, hls::stream<pkt>& b, hls::stream<pkt>& out, int op);

#endif // UFUNC_I32_H
