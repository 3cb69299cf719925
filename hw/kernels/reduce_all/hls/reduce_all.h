// reduce_all: exact reductions of i32 AXI4-Stream data (the NumPy-acceleration seed's
// ufunc_reduce_all and sad_reduce_all), selected by the s_axilite scalar `op`:
//   REDUCE_ALL_SUM         (0)  sum(a)
//   REDUCE_ALL_SUM_SQUARES (1)  sum(a * a)
//   REDUCE_ALL_SAD         (2)  sum(|a - b|)
//   anything else               0
// `a` and `b` are read in lockstep, one pair per element, for every op (b is read and ignored
// for ops 0 and 1, so both streams are always fully consumed); the call ends after the pair
// whose a.last is set (b.last is read and ignored).
//
// The result is ONE beat on the stream `result`: data = the total as a signed 128-bit
// two's-complement integer (bits 63:0 = lane 0, bits 127:64 = lane 1), keep = strb = all ones,
// last = 1. Nothing overflows: |sum| < 2^55, SAD < 2^56, sum of squares <= 2^86 for
// N <= 2^24 elements, and the 128-bit accumulator stays exact for N up to 2^64.
#ifndef REDUCE_ALL_H
#define REDUCE_ALL_H

#include "ap_axi_sdata.h"
#include "ap_int.h"
#include "hls_stream.h"

// ap_axis (signed data): the inputs are NumPy int32 and the total is a signed integer. The
// exported RTL is the same either way: TDATA, TKEEP, TSTRB, TLAST (no TUSER/TID/TDEST).
typedef ap_axis<32, 0, 0, 0> reduce_all_in_pkt;
typedef ap_axis<128, 0, 0, 0> reduce_all_out_pkt;

enum {
    REDUCE_ALL_SUM = 0,
    REDUCE_ALL_SUM_SQUARES = 1,
    REDUCE_ALL_SAD = 2
};

void reduce_all(hls::stream<ap_axis<32, 0, 0, 0> >& a, hls::stream<ap_axis<32, 0, 0, 0> >& b,
                hls::stream<ap_axis<128, 0, 0, 0> >& result, int op);

#endif // REDUCE_ALL_H
