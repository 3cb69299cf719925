// Vitis HLS top of kernel gemm_pe4_w16: the gemm template (gemm.h) with 4 processing
// elements on ap_int<16> elements, C as 64-bit integers. The hand-written RTL
// has the interface this function exports: axis ports a_*, b_* (16-bit TDATA)
// and c_* (64-bit TDATA), s_axi_control with `m` at 0x10, `n` at 0x18 and `k`
// at 0x20, ap_ctrl_hs in the control register map and an `interrupt` pin
// (../rtl/gemm_pe4_w16.v over ../rtl/gemm_core.v).
#include "gemm.h"

// The manifest's `parameters` (csim defines them before this file; the defaults are the same).
#ifndef GEMM_PES
#define GEMM_PES 4
#endif
#ifndef GEMM_W
#define GEMM_W 16
#endif

void gemm_pe4_w16(hls::stream<ap_axis<GEMM_W, 0, 0, 0> >& a, hls::stream<ap_axis<GEMM_W, 0, 0, 0> >& b,
                  hls::stream<ap_axis<64, 0, 0, 0> >& c, int m, int n, int k) {
#pragma HLS INTERFACE mode=axis port=a
#pragma HLS INTERFACE mode=axis port=b
#pragma HLS INTERFACE mode=axis port=c
#pragma HLS INTERFACE mode=s_axilite port=m bundle=control
#pragma HLS INTERFACE mode=s_axilite port=n bundle=control
#pragma HLS INTERFACE mode=s_axilite port=k bundle=control
#pragma HLS INTERFACE mode=s_axilite port=return bundle=control
    gemm<GEMM_PES, GEMM_W, 64>(a, b, c, m, n, k);
}
