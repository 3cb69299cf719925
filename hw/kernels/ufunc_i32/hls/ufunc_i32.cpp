// Vitis HLS source of kernel ufunc_i32 (see ufunc_i32.h for the semantics).
// The hand-written RTL in ../rtl has the interface this function exports:
// axis ports a_*, b_*, out_r_* (`out` is renamed), s_axi_control with `op`
// at 0x10, ap_ctrl_hs in the control register map and an `interrupt` pin.
#include "ufunc_i32.h"

void ufunc_i32(hls::stream<pkt>& a, hls::stream<pkt>& b, hls::stream<pkt>& out, int op) {
#pragma HLS INTERFACE mode=axis port=a
#pragma HLS INTERFACE mode=axis port=b
#pragma HLS INTERFACE mode=axis port=out
#pragma HLS INTERFACE mode=s_axilite port=op bundle=control
#pragma HLS INTERFACE mode=s_axilite port=return bundle=control

    bool last = false;
elements:
    do {
#pragma HLS PIPELINE II=1
        pkt x = a.read();
        pkt y = b.read();   // y.last is ignored: a's TLAST ends the call

        // ap_int<32> results: the wider intermediate (33 / 64 bits) is
        // truncated on assignment, i.e. two's-complement wrap-around.
        ap_int<32> r;
        switch (op) {
        case UFUNC_I32_ADD:
            r = x.data + y.data;
            break;
        case UFUNC_I32_SUB:
            r = x.data - y.data;
            break;
        case UFUNC_I32_MUL:
            r = x.data * y.data;
            break;
        default:
            r = 0;
            break;
        }

        pkt o;
        o.data = r;
        o.keep = -1;
        o.strb = -1;
        o.last = x.last;
        out.write(o);

        last = x.last;
    } while (!last);
}
