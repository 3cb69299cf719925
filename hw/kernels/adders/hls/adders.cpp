// Vitis HLS source of kernel adders: the Xilinx kernel-optimization guide's N_stage_Adders.
// read_input -> STAGES adder stages (each adds incr) -> write_result, chained by
// hls::streams under DATAFLOW, so the processes overlap: a call takes about size + the
// pipeline fill, not size x STAGES. out[i] = in[i] + STAGES * incr (i32, wrapping).
//
// STAGES is a compile-time parameter (the manifest's `parameters`; -DSTAGES=n here,
// -GSTAGES=n on the RTL). The hand-written RTL in ../rtl has the interface this function
// exports: m_axi_gmem0_* (32-bit data: in read, out written), in/out pointers at 0x10/0x1c,
// incr at 0x28 and size at 0x30 in s_axi_control (Vitis renames in/out to in_r/out_r),
// ap_ctrl_chain.
#include <hls_stream.h>

#ifndef STAGES
#define STAGES 4
#endif

static void read_input(const int* in, hls::stream<int>& inStream, int size) {
mem_rd:
    for (int i = 0; i < size; i++) {
#pragma HLS PIPELINE II=1
        inStream << in[i];
    }
}

static void adder(hls::stream<int>& inStream, hls::stream<int>& outStream, int incr, int size) {
execute:
    for (int i = 0; i < size; i++) {
#pragma HLS PIPELINE II=1
        int x = inStream.read();
        // Two's-complement wrap, as the hardware adder (signed overflow is UB in C++).
        outStream << static_cast<int>(static_cast<unsigned>(x) + static_cast<unsigned>(incr));
    }
}

static void write_result(int* out, hls::stream<int>& outStream, int size) {
mem_wr:
    for (int i = 0; i < size; i++) {
#pragma HLS PIPELINE II=1
        out[i] = outStream.read();
    }
}

void adders(const int* in, int* out, int incr, int size) {
#pragma HLS INTERFACE mode=m_axi port=in offset=slave bundle=gmem0 max_read_burst_length=64
#pragma HLS INTERFACE mode=m_axi port=out offset=slave bundle=gmem0 max_write_burst_length=64
#pragma HLS INTERFACE mode=s_axilite port=in bundle=control
#pragma HLS INTERFACE mode=s_axilite port=out bundle=control
#pragma HLS INTERFACE mode=s_axilite port=incr bundle=control
#pragma HLS INTERFACE mode=s_axilite port=size bundle=control
#pragma HLS INTERFACE mode=s_axilite port=return bundle=control
#pragma HLS INTERFACE mode=ap_ctrl_chain port=return

    hls::stream<int> streams[STAGES + 1];
#pragma HLS STREAM variable=streams depth=2

#pragma HLS DATAFLOW
    read_input(in, streams[0], size);
compute_loop:
    for (int i = 0; i < STAGES; i++) {
#pragma HLS UNROLL
        adder(streams[i], streams[i + 1], incr, size);
    }
    write_result(out, streams[STAGES], size);
}
