// crop: NumPy's x[1:-1, 1:-1] on a width x height grid of 32-bit words
// streamed row-major over AXI4-Stream. With stencil5 it forms one Jacobi
// iteration's convergence test, sum |x[1:-1,1:-1] - stencil5(x)|: this kernel
// gives the interior that the stencil's output is compared with.
//
// Streams: `in` carries exactly width*height words, row-major (TKEEP, TSTRB
// and TLAST of `in` are ignored: the word count comes from the arguments).
// `out` carries the (height-2)*(width-2) interior words unchanged, row-major,
// TLAST on the last, TKEEP/TSTRB all ones.
//
// Arguments (s_axilite, bundle control: width at 0x10, height at 0x18;
// ap_ctrl_hs at 0x00 with an interrupt): 3 <= width <= CROP_MAX_WIDTH and
// height >= 3, the range stencil5 accepts, so that both branches of the
// convergence graph take the same grids. Outside that range the call returns
// at once: it reads nothing and writes nothing.
//
// Throughput: one input word per clock (II=1) across row boundaries, so a
// call takes width*height cycles plus a small constant latency.
//
// The hand-written RTL with this function's exported interface is
// ../rtl/crop.v.
#ifndef CROP_H
#define CROP_H

#include "ap_axi_sdata.h"
#include "hls_stream.h"

// Widest grid: stencil5's line-buffer depth (STENCIL5_MAX_WIDTH).
#define CROP_MAX_WIDTH 1024

// 32-bit words on both streams.
typedef ap_axis<32, 0, 0, 0> crop_pkt;

// The HLS top (crop.cpp).
void crop(hls::stream<ap_axis<32, 0, 0, 0> >& in, hls::stream<ap_axis<32, 0, 0, 0> >& out, int width,
          int height);

#endif // CROP_H
