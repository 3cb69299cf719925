// Vitis HLS source of kernel reduce_all (see reduce_all.h for the semantics).
// The hand-written RTL in ../rtl has the interface this function exports:
// axis ports a_*, b_* (32-bit TDATA) and result_* (128-bit TDATA), s_axi_control
// with `op` at 0x10, ap_ctrl_hs in the control register map and an `interrupt` pin.
#include "reduce_all.h"

void reduce_all(hls::stream<ap_axis<32, 0, 0, 0> >& a, hls::stream<ap_axis<32, 0, 0, 0> >& b,
                hls::stream<ap_axis<128, 0, 0, 0> >& result, int op) {
#pragma HLS INTERFACE mode=axis port=a
#pragma HLS INTERFACE mode=axis port=b
#pragma HLS INTERFACE mode=axis port=result
#pragma HLS INTERFACE mode=s_axilite port=op bundle=control
#pragma HLS INTERFACE mode=s_axilite port=return bundle=control

    // 128 bits: the output beat's width, and exact for any stream a call can carry
    // (sum of squares <= N * 2^62 < 2^127 for N < 2^64); the widest total at N = 2^24
    // (sum of squares, 2^86) needs 87 bits.
    ap_int<128> acc = 0;
    bool last = false;
elements:
    do {
#pragma HLS PIPELINE II=1
        reduce_all_in_pkt x = a.read();
        reduce_all_in_pkt y = b.read();   // read for every op (lockstep); y.last is ignored

        // Each term is exact in 64 bits: a sign-extended, a * a <= 2^62, |a - b| < 2^32.
        ap_int<64> term;
        switch (op) {
        case REDUCE_ALL_SUM:
            term = x.data;
            break;
        case REDUCE_ALL_SUM_SQUARES:
            term = x.data * x.data;   // ap_int<32> * ap_int<32> -> ap_int<64>, exact
            break;
        case REDUCE_ALL_SAD: {
            ap_int<33> d = x.data - y.data;   // exact: |d| <= 2^32 - 1
            term = (d < 0) ? ap_int<64>(-d) : ap_int<64>(d);
            break;
        }
        default:
            term = 0;
            break;
        }
        acc += term;

        last = x.last;
    } while (!last);

    reduce_all_out_pkt r;
    r.data = acc;
    r.keep = -1;
    r.strb = -1;
    r.user = 0;
    r.id = 0;
    r.dest = 0;
    r.last = 1;
    result.write(r);
}
