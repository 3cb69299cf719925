// Vitis HLS top of kernel stencil5_q8_8: the stencil5 template (stencil5.h) on
// ap_fixed<16,8> elements. The hand-written RTL has the interface this
// function exports: axis ports in_r_* and out_r_* (`in` and `out` are
// renamed), s_axi_control with `width` at 0x10 and `height` at 0x18,
// ap_ctrl_hs in the control register map and an `interrupt` pin
// (../rtl/stencil5_q8_8.v over ../rtl/stencil5_core.v).
#include "stencil5.h"

void stencil5_q8_8(hls::stream<ap_axis<16, 0, 0, 0> >& in, hls::stream<ap_axis<16, 0, 0, 0> >& out,
                   int width, int height) {
#pragma HLS INTERFACE mode=axis port=in
#pragma HLS INTERFACE mode=axis port=out
#pragma HLS INTERFACE mode=s_axilite port=width bundle=control
#pragma HLS INTERFACE mode=s_axilite port=height bundle=control
#pragma HLS INTERFACE mode=s_axilite port=return bundle=control
    stencil5<16, 8>(in, out, width, height);
}
