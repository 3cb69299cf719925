// Vitis HLS source of kernel vadd_wide: c[i] = a[i] + b[i] (i32, wrapping) for i < size,
// moved over 512-bit m_axi ports, 16 lanes per beat, as the Xilinx kernel-optimization guide
// recommends (wide ports, long bursts, one bundle per concurrent stream of accesses).
//
// The hand-written RTL in ../rtl has the interface this function exports: m_axi_gmem0_*
// (a read, c written) and m_axi_gmem1_* (b read), 512-bit data, 64-bit addresses; the
// pointers at 0x10/0x1c/0x28 and size at 0x34 in s_axi_control; ap_ctrl_chain.
//
// Buffers are allocated in whole 64-byte beats (XRT allocates 4 KiB pages), so the beat
// holding the tail of a size that is not a multiple of 16 is read whole; this C++ writes the
// whole tail beat (lanes past `size` get the sums of the padding), the RTL strobes only the
// lanes below `size`. Elements below `size` are the same either way.
#include <ap_int.h>

typedef ap_uint<512> vadd_wide_beat;

static const int VADD_WIDE_LANES = 16;

void vadd_wide(const vadd_wide_beat* a, const vadd_wide_beat* b, vadd_wide_beat* c, int size) {
#pragma HLS INTERFACE mode=m_axi port=a offset=slave bundle=gmem0 max_read_burst_length=64 num_read_outstanding=8
#pragma HLS INTERFACE mode=m_axi port=b offset=slave bundle=gmem1 max_read_burst_length=64 num_read_outstanding=8
#pragma HLS INTERFACE mode=m_axi port=c offset=slave bundle=gmem0 max_write_burst_length=64 num_write_outstanding=8
#pragma HLS INTERFACE mode=s_axilite port=a bundle=control
#pragma HLS INTERFACE mode=s_axilite port=b bundle=control
#pragma HLS INTERFACE mode=s_axilite port=c bundle=control
#pragma HLS INTERFACE mode=s_axilite port=size bundle=control
#pragma HLS INTERFACE mode=s_axilite port=return bundle=control
#pragma HLS INTERFACE mode=ap_ctrl_chain port=return

    // Beats covering `size` elements: a sequential loop over the pointers, which HLS infers
    // as bursts (64 beats each, split at 4 KiB boundaries by the m_axi adapter).
    const unsigned beats = (static_cast<unsigned>(size) + VADD_WIDE_LANES - 1) / VADD_WIDE_LANES;
beats_loop:
    for (unsigned i = 0; i < beats; i++) {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=4096 max=4096
        vadd_wide_beat x = a[i];
        vadd_wide_beat y = b[i];
        vadd_wide_beat z;
    lanes:
        for (int lane = 0; lane < VADD_WIDE_LANES; lane++) {
#pragma HLS UNROLL
            ap_uint<32> sum = x.range(lane * 32 + 31, lane * 32) + y.range(lane * 32 + 31, lane * 32);
            z.range(lane * 32 + 31, lane * 32) = sum;  // 32 bits: two's-complement wrap
        }
        c[i] = z;
    }
}
