// Side-channel structs both ways: hls::axis<ap_int<16>> in, ap_axiu<32> out. The output's
// `last` marks the input's last sample and `keep` is all ones; the sum wraps at 32 bits.
#include "ap_axi_sdata.h"
#include "hls_stream.h"

void csim_axis(hls::stream<hls::axis<ap_int<16>, 0, 0, 0> >& in, hls::stream<ap_axiu<32, 0, 0, 0> >& out) {
#pragma HLS INTERFACE mode=ap_ctrl_none port=return
#pragma HLS INTERFACE mode=axis port=in
#pragma HLS INTERFACE mode=axis port=out
    ap_uint<32> sum = 0;
    bool last = false;
    while (!last) {
        hls::axis<ap_int<16>, 0, 0, 0> x = in.read();
        sum += ap_uint<32>(ap_int<32>(x.data));
        ap_axiu<32, 0, 0, 0> y;
        y.data = sum;
        y.keep = -1;
        y.strb = -1;
        y.last = x.last;
        // The driver fills `keep` with ones and `last` on the final sample only.
        if (!x.keep.and_reduce() || (x.last && !in.empty())) y.data = 0xDEADBEEF;
        out.write(y);
        last = x.last;
    }
}
