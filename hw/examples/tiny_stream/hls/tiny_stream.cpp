// The C++ that rtl/tiny_stream.v implements (the C simulation reference): free-running, plain
// streams, every sample plus one (wrapping). Vitis runs the body once per sample, forever;
// here one invocation drains what the input holds.
#include <hls_stream.h>

void tiny_stream(hls::stream<int>& in, hls::stream<int>& out) {
#pragma HLS INTERFACE mode=ap_ctrl_none port=return
#pragma HLS INTERFACE mode=axis port=in
#pragma HLS INTERFACE mode=axis port=out
#pragma HLS PIPELINE II=1
    while (!in.empty()) {
        out.write((int)((unsigned)in.read() + 1u));
    }
}
