// A free-running kernel as its C++ is usually written: one sample per call.
#include "hls_stream.h"

void csim_fifo(hls::stream<int>& in, hls::stream<int>& out) {
#pragma HLS INTERFACE mode=ap_ctrl_none port=return
#pragma HLS INTERFACE mode=ap_fifo port=in
#pragma HLS INTERFACE mode=ap_fifo port=out
    int x = in.read();
    out.write(3 * x + 1);
}
