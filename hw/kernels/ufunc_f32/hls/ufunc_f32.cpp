// Vitis HLS source of kernel ufunc_f32 (see ufunc_f32.h for the semantics).
// The hand-written RTL in ../rtl has the interface this function exports:
// axis ports a_*, b_*, out_r_* (`out` is renamed), s_axi_control with `op`
// at 0x10, ap_ctrl_hs in the control register map and an `interrupt` pin.
//
// Floating-point units in the RTL: the add and the subtract sit in mutually
// exclusive branches, so HLS binds both to one add/subtract core,
// ufunc_f32_faddfsub_32ns_32ns_32_4_full_dsp_1 (opcode 0 add, 1 subtract), and
// the multiply to ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1. The number before
// the implementation is the wrapper's NUM_STAGE: the result is ready 3 (add/sub)
// and 2 (multiply) cycles after the operands; the loop body is a 4-stage
// pipeline. If a tool version or clock target picks other latencies, they can be
// pinned with `#pragma HLS BIND_OP variable=r op=fadd impl=fulldsp latency=3`
// (and op=fsub, op=fmul impl=maxdsp latency=2).
#include "ufunc_f32.h"

void ufunc_f32(hls::stream<pkt>& a, hls::stream<pkt>& b, hls::stream<pkt>& out, int op) {
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

        // Single float operations (no fused multiply-add to contract).
        float r;
        switch (op) {
        case UFUNC_F32_ADD:
            r = x.data + y.data;
            break;
        case UFUNC_F32_SUB:
            r = x.data - y.data;
            break;
        case UFUNC_F32_MUL:
            r = x.data * y.data;
            break;
        default:
            r = 0.0f;
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
