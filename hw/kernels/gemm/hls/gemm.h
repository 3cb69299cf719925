// gemm: HeteroCL's GEMM with compute and data-type customization, C = A x B on
// signed W-bit integers, on a 1-D output-stationary array of PES processing
// elements, streamed over AXI4-Stream.
//
//   C[i][j] = sum_{kk < k} A[i][kk] * B[kk][j],  0 <= i < m, 0 <= j < n
//
// Compute customization: PES, the number of PEs (parallel MACs per cycle).
// Data-type customization: W, the element width (ap_int<W>; fixed-point data
// ap_fixed<W,I> travels as its raw bits and C is then the raw product sum with
// 2(W-I) fractional bits). OW is the width of C's elements on the stream.
//
// Exact arithmetic: every product is exact in 2W bits (|A*B| <= 2^(2W-2)) and
// the sum of k <= 64 of them in 2W + 6 bits (ap_int<2W+6>, at most 2^(2W+4) in
// magnitude), sign-extended to OW >= 2W + 6 bits: no rounding, no wrap.
//
// Streams (TKEEP, TSTRB and TLAST of a and b are ignored: the element counts
// come from the arguments): b first, exactly k*n elements row-major; then a,
// m*k elements row-major. c carries m*n elements row-major, TLAST on the last,
// TKEEP/TSTRB all ones.
//
// Arguments (s_axilite, bundle control: m at 0x10, n at 0x18, k at 0x20;
// ap_ctrl_hs at 0x00 with an interrupt): 1 <= m, n, k <= GEMM_MAX_DIM (the
// on-chip buffers). Outside that range the call returns at once: it reads
// nothing and writes nothing.
//
// Architecture (why a 1-D output-stationary array and not a 2-D systolic
// one): the streams deliver one element per cycle, so B is held on chip and
// A is read once; each A[i][kk] is broadcast to PES PEs that each own one
// output column of the current group of PES columns and read their own bank
// of B (B partitioned cyclically by column). PES MACs per cycle with one input
// element per k of them, a single accumulator per PE, no skewing buffers.
// Cycles: k*n (loading B) + m * ceil(n/PES) * k (compute) + a constant, as
// long as k >= PES (otherwise c, one element per cycle, is the bound).
//
// Files: this header (the template and both declarations), gemm_pe4_w16.cpp
// and gemm_pe8_w8.cpp (one HLS top each, with the interface pragmas). The
// hand-written RTL, ../rtl/gemm_core.v, is one core parameterised like the
// template under the tops ../rtl/gemm_pe4_w16.v and
// ../rtl/gemm_pe8_w8.v.
#ifndef GEMM_H
#define GEMM_H

#include "ap_axi_sdata.h"
#include "ap_int.h"
#include "hls_stream.h"

// Largest m, n and k: the depth of the on-chip buffers.
#define GEMM_MAX_DIM 64
// log2(GEMM_MAX_DIM): the accumulator's extra bits for a sum of up to 64 terms.
#define GEMM_LOG2_MAX_DIM 6

// The HLS tops, one per configuration (gemm_pe4_w16.cpp, gemm_pe8_w8.cpp).
void gemm_pe4_w16(hls::stream<ap_axis<16, 0, 0, 0> >& a, hls::stream<ap_axis<16, 0, 0, 0> >& b,
                  hls::stream<ap_axis<64, 0, 0, 0> >& c, int m, int n, int k);

void gemm_pe8_w8(hls::stream<ap_axis<8, 0, 0, 0> >& a, hls::stream<ap_axis<8, 0, 0, 0> >& b,
                 hls::stream<ap_axis<32, 0, 0, 0> >& c, int m, int n, int k);

// One group's results: the PES sums and how many of them are columns of C.
template <int PES, int W>
struct gemm_group {
    ap_int<2 * W + GEMM_LOG2_MAX_DIM> sum[PES];
    int count;
    bool last;   // the call's last group
};

inline bool gemm_sizes_ok(int m, int n, int k) {
    return m >= 1 && m <= GEMM_MAX_DIM && n >= 1 && n <= GEMM_MAX_DIM && k >= 1 && k <= GEMM_MAX_DIM;
}

// Loads B, then computes every group of PES columns of every row of C.
template <int PES, int W>
void gemm_compute(hls::stream<ap_axis<W, 0, 0, 0> >& a, hls::stream<ap_axis<W, 0, 0, 0> >& b,
                  hls::stream<gemm_group<PES, W> >& groups, int m, int n, int k) {
    typedef ap_int<W> elem_t;
    typedef ap_int<2 * W + GEMM_LOG2_MAX_DIM> acc_t;
    const int COLS = GEMM_MAX_DIM / PES;   // columns of B per bank

    if (!gemm_sizes_ok(m, n, k)) {
        return;
    }

    // bbuf[p][kk * COLS + j / PES] = B[kk][j] for j % PES == p: one bank per PE.
    elem_t bbuf[PES][GEMM_MAX_DIM * COLS];
#pragma HLS ARRAY_PARTITION variable=bbuf type=complete dim=1
#pragma HLS BIND_STORAGE variable=bbuf type=ram_s2p impl=bram
    // The current row of A, read from the stream in group 0 and reused after.
    elem_t arow[GEMM_MAX_DIM];
#pragma HLS BIND_STORAGE variable=arow type=ram_s2p impl=bram
    acc_t acc[PES];
#pragma HLS ARRAY_PARTITION variable=acc type=complete

    // One flat loop over k*n elements: one beat per cycle.
    int lk = 0;
    int lj = 0;
load_b:
    for (int t = 0; t < k * n; t++) {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=1 max=4096 avg=4096
        ap_axis<W, 0, 0, 0> beat = b.read();
        bbuf[lj % PES][lk * COLS + lj / PES] = beat.data;
        if (lj == n - 1) {
            lj = 0;
            lk++;
        } else {
            lj++;
        }
    }

    const int G = (n + PES - 1) / PES;
    int i = 0;
    int g = 0;
    int kk = 0;
    // One flat pipelined loop over m * G * k steps (II=1, no bubble at group
    // or row ends): PES multiply-accumulates per step.
compute:
    for (int t = 0; t < m * G * k; t++) {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=1 max=262144 avg=65536
        elem_t x;
        if (g == 0) {
            x = a.read().data;
            arow[kk] = x;
        } else {
            x = arow[kk];
        }
    pes:
        for (int p = 0; p < PES; p++) {
#pragma HLS UNROLL
            ap_int<2 * W> product = x * bbuf[p][kk * COLS + g];   // exact
            acc[p] = (kk == 0 ? acc_t(0) : acc[p]) + product;
        }
        if (kk == k - 1) {
            gemm_group<PES, W> out;
            for (int p = 0; p < PES; p++) {
#pragma HLS UNROLL
                out.sum[p] = acc[p];
            }
            int left = n - g * PES;
            out.count = left < PES ? left : PES;
            out.last = (i == m - 1) && (g == G - 1);
            groups.write(out);
            kk = 0;
            if (g == G - 1) {
                g = 0;
                i++;
            } else {
                g++;
            }
        } else {
            kk++;
        }
    }
}

// Sends each group's valid sums on c, one element per cycle.
template <int PES, int W, int OW>
void gemm_write(hls::stream<gemm_group<PES, W> >& groups, hls::stream<ap_axis<OW, 0, 0, 0> >& c, int m, int n,
                int k) {
    if (!gemm_sizes_ok(m, n, k)) {
        return;
    }
    const int G = (n + PES - 1) / PES;
write_c:
    for (int t = 0; t < m * G; t++) {
        gemm_group<PES, W> group = groups.read();
        for (int p = 0; p < group.count; p++) {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=1 max=8
            ap_axis<OW, 0, 0, 0> o;
            o.data = ap_int<OW>(group.sum[p]);   // sign extension: exact
            o.keep = -1;
            o.strb = -1;
            o.last = group.last && (p == group.count - 1);
            c.write(o);
        }
    }
}

// The GEMM on ap_int<W> elements with PES processing elements; C as OW-bit
// integers. Compute and write-out overlap under DATAFLOW (the RTL's output
// shift register is the groups FIFO).
template <int PES, int W, int OW>
void gemm(hls::stream<ap_axis<W, 0, 0, 0> >& a, hls::stream<ap_axis<W, 0, 0, 0> >& b,
          hls::stream<ap_axis<OW, 0, 0, 0> >& c, int m, int n, int k) {
    static_assert(OW >= 2 * W + GEMM_LOG2_MAX_DIM, "C's elements must hold the exact sums");
    static_assert((PES & (PES - 1)) == 0 && GEMM_MAX_DIM % PES == 0, "PES: a power of two dividing 64");
#pragma HLS DATAFLOW
    hls::stream<gemm_group<PES, W> > groups("groups");
#pragma HLS STREAM variable=groups depth=2
    gemm_compute<PES, W>(a, b, groups, m, n, k);
    gemm_write<PES, W, OW>(groups, c, m, n, k);
}

#endif // GEMM_H
