// Vitis HLS top of kernel gemm_pe8_w8: the gemm template (gemm.h) with 8 processing
// elements on ap_int<8> elements, C as 32-bit integers. The hand-written RTL
// has the interface this function exports: axis ports a_*, b_* (8-bit TDATA)
// and c_* (32-bit TDATA), s_axi_control with `m` at 0x10, `n` at 0x18 and `k`
// at 0x20, ap_ctrl_hs in the control register map and an `interrupt` pin
// (../rtl/gemm_pe8_w8.v over ../rtl/gemm_core.v).
#include "gemm.h"

// The manifest's `parameters` (csim defines them before this file; the defaults are the same).
#ifndef GEMM_PES
#define GEMM_PES 8
#endif
#ifndef GEMM_W
#define GEMM_W 8
#endif

void gemm_pe8_w8(hls::stream<ap_axis<GEMM_W, 0, 0, 0> >& a, hls::stream<ap_axis<GEMM_W, 0, 0, 0> >& b,
                 hls::stream<ap_axis<32, 0, 0, 0> >& c, int m, int n, int k) {
#pragma HLS INTERFACE mode=axis port=a
#pragma HLS INTERFACE mode=axis port=b
#pragma HLS INTERFACE mode=axis port=c
#pragma HLS INTERFACE mode=s_axilite port=m bundle=control
#pragma HLS INTERFACE mode=s_axilite port=n bundle=control
#pragma HLS INTERFACE mode=s_axilite port=k bundle=control
#pragma HLS INTERFACE mode=s_axilite port=return bundle=control
    gemm<GEMM_PES, GEMM_W, 32>(a, b, c, m, n, k);
}
