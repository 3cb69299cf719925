// ufunc_f32: element-wise NumPy-style ufunc on two AXI4-Stream binary32 streams.
//
//   out[i] = a[i] OP b[i], OP selected by the s_axilite scalar `op`:
//     UFUNC_F32_ADD (0)  a + b
//     UFUNC_F32_SUB (1)  a - b
//     UFUNC_F32_MUL (2)  a * b
//     anything else      +0.0f (bits 0)
//   out[i].last = a[i].last; the call ends after the element whose a.last is
//   set (b.last is read and ignored). keep/strb of the output are all ones.
//
// In hardware the arithmetic is that of the Xilinx Floating-Point Operator
// cores HLS instantiates: subnormal inputs read as zero with their sign (DAZ);
// round to nearest, ties to even; a result whose magnitude, rounded to 24
// significant bits with an unbounded exponent, is below 2^-126 becomes zero with
// the sign of the exact result (FTZ); every NaN result is 0x7FC00000.
//
// C simulation on a host keeps IEEE gradual underflow and the host's NaNs, so
// csim differs from cosim (and from the RTL and the golden model) for:
//   * subnormal inputs (csim uses their value, hardware reads them as zero),
//   * exact results below 2^-126 in magnitude: csim returns a subnormal, or
//     +-2^-126 when gradual underflow rounds up to it (e.g. 0x3EFFFFFF *
//     0x01000000 = 2^-126 - 2^-150: a tie at subnormal precision, 0x00800000 in
//     csim); hardware returns +-0 unless the 24-bit rounding reaches 2^-126,
//   * NaN results (csim propagates an input NaN's payload and sign, and an
//     invalid operation gives the host's default NaN, 0xFFC00000 on x86).
// Test vectors that touch these must say whether they hold for csim or cosim.
#ifndef UFUNC_F32_H
#define UFUNC_F32_H

#include "ap_axi_sdata.h"
#include "hls_stream.h"

// hls::axis<float, 0, 0, 0> (ap_axi_sdata.h, Vitis 2022.2+) rather than
// ap_axiu<32, 0, 0, 0> with bit casts: `data` is a float, so the body is plain
// float arithmetic and HLS maps it to floating-point cores. The exported RTL is
// the same either way: TDATA[31:0] (the float's bits), TKEEP[3:0], TSTRB[3:0],
// TLAST[0:0]; no TUSER/TID/TDEST since those widths are 0.
typedef hls::axis<float, 0, 0, 0> pkt;

enum {
    UFUNC_F32_ADD = 0,
    UFUNC_F32_SUB = 1,
    UFUNC_F32_MUL = 2
};

void ufunc_f32(hls::stream<pkt>& a, hls::stream<pkt>& b, hls::stream<pkt>& out, int op);

#endif // UFUNC_F32_H
