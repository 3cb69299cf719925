// stencil5: the 5-point stencil (NumPy-acceleration seed's filter_avg,
// HeteroCL's Jacobi) on a fixed-point grid streamed over AXI4-Stream.
//
//   out[y-1][x-1] = 0.2 * (in[y][x] + in[y-1][x] + in[y][x+1]
//                          + in[y+1][x] + in[y][x-1])
//   for 1 <= y <= height-2, 1 <= x <= width-2
//
// i.e. NumPy's
//   0.2 * (g[1:-1,1:-1] + g[:-2,1:-1] + g[1:-1,2:] + g[2:,1:-1] + g[1:-1,:-2])
// with shape (height-2) x (width-2).
//
// Streams: `in` carries exactly width*height elements, row-major, each the
// raw two's-complement bit pattern of an ap_fixed<W,I> (TKEEP, TSTRB and
// TLAST of `in` are ignored: the element count comes from the arguments).
// `out` carries (width-2)*(height-2) elements row-major, TLAST on the last,
// TKEEP/TSTRB all ones.
//
// Arithmetic, bit-exact (AP_TRN / AP_WRAP; 0.2 quantized to c/2^F, F = W-I):
//   s = the exact sum of the five raw values (ap_fixed<W+3,I+3>: no overflow)
//   c = floor(0.2 * 2^F): ap_fixed<W,I>(0.2) with AP_TRN; 51 for F=8,
//       13107 for F=16
//   p = s * c (exact); out = (p >> F) with floor (AP_TRN, toward -inf),
//       wrapped to W bits (AP_WRAP). Since c/2^F < 0.2, |out| never
//       exceeds the input range, so the wrap cannot actually trigger.
//
// Arguments (s_axilite, bundle control: width at 0x10, height at 0x18;
// ap_ctrl_hs at 0x00 with an interrupt): 3 <= width <= STENCIL5_MAX_WIDTH
// (the depth of the two on-chip line buffers) and height >= 3. Outside that
// range the call returns at once: it reads nothing and writes nothing.
//
// Throughput: one input element per clock (II=1) across row boundaries, so
// a call takes width*height cycles plus a small constant latency.
//
// Files: this header (the template and both declarations), stencil5_q8_8.cpp
// and stencil5_q16_16.cpp (one HLS top each, with the interface pragmas).
// The hand-written RTL, ../rtl/stencil5_core.v, is one core parameterised
// like the template (W element bits, F = W - I fractional bits) under the
// tops ../rtl/stencil5_q8_8.v and
// ../rtl/stencil5_q16_16.v.
#ifndef STENCIL5_H
#define STENCIL5_H

#include "ap_axi_sdata.h"
#include "ap_fixed.h"
#include "hls_stream.h"

// Widest grid: the depth of each of the two line buffers.
#define STENCIL5_MAX_WIDTH 1024

// ap_fixed<16,8> elements (Q8.8): 16-bit raw words on the streams.
typedef ap_axis<16, 0, 0, 0> stencil5_q8_8_pkt;
// ap_fixed<32,16> elements (Q16.16): 32-bit raw words on the streams.
typedef ap_axis<32, 0, 0, 0> stencil5_q16_16_pkt;

// The HLS tops, one per format (stencil5_q8_8.cpp, stencil5_q16_16.cpp).
void stencil5_q8_8(hls::stream<ap_axis<16, 0, 0, 0> >& in, hls::stream<ap_axis<16, 0, 0, 0> >& out,
                   int width, int height);

void stencil5_q16_16(hls::stream<ap_axis<32, 0, 0, 0> >& in, hls::stream<ap_axis<32, 0, 0, 0> >& out,
                     int width, int height);

// The stencil on ap_fixed<W,I> elements carried as raw W-bit words.
//
// One pipelined loop over all width*height input elements (II=1, no bubble
// at row ends). When in[y][x] arrives, the window centred on (y-1, x-1) is
// complete: two line buffers hold rows y-1 and y-2 at column x, and four
// registers hold the previous columns.
template <int W, int I>
void stencil5(hls::stream<ap_axis<W, 0, 0, 0> >& in, hls::stream<ap_axis<W, 0, 0, 0> >& out, int width,
              int height) {
    typedef ap_fixed<W, I> elem_t;          // AP_TRN, AP_WRAP (the defaults)
    typedef ap_fixed<W + 3, I + 3> sum_t;   // holds any sum of five elem_t exactly

    // Outside this range the call returns at once: nothing read, nothing
    // written (the line buffers hold STENCIL5_MAX_WIDTH columns).
    if (width < 3 || width > STENCIL5_MAX_WIDTH || height < 3) {
        return;
    }

    // 0.2 quantized with AP_TRN: floor(0.2 * 2^(W-I)) / 2^(W-I).
    const elem_t fifth = elem_t(0.2);

    // linebuf[0][x]: row y-1, linebuf[1][x]: row y-2. One simple dual-port
    // RAM per row: each iteration reads and writes column x of both.
    elem_t linebuf[2][STENCIL5_MAX_WIDTH];
#pragma HLS ARRAY_PARTITION variable=linebuf type=complete dim=1
#pragma HLS BIND_STORAGE variable=linebuf type=ram_s2p impl=bram
    // A column written in iteration i is read next in iteration i + width
    // (width >= 3), after the write has completed: no carried dependence
    // the pipeline has to respect.
#pragma HLS DEPENDENCE variable=linebuf type=inter dependent=false

    // Window registers: column x-1 of rows y-2, y-1, y; column x-2 of row y-1.
    elem_t up = 0, center = 0, down = 0, left = 0;

    int x = 0;
    int y = 0;
    bool last = false;
grid:
    do {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=9 max=1048576 avg=3072
        ap_axis<W, 0, 0, 0> beat = in.read();
        elem_t below;                       // in[y][x]
        below.range(W - 1, 0) = beat.data;
        elem_t mid = linebuf[0][x];         // in[y-1][x]
        elem_t top = linebuf[1][x];         // in[y-2][x]
        linebuf[1][x] = mid;
        linebuf[0][x] = below;

        last = (x == width - 1) && (y == height - 1);
        if (y >= 2 && x >= 2) {
            // centre (y-1, x-1): itself, up, right (mid), down, left
            sum_t s = center;
            s += up;
            s += mid;
            s += down;
            s += left;
            // full-precision product, then AP_TRN (floor) and AP_WRAP to W bits
            elem_t r = s * fifth;

            ap_axis<W, 0, 0, 0> o;
            o.data = r.range(W - 1, 0);
            o.keep = -1;
            o.strb = -1;
            o.last = last;
            out.write(o);
        }

        left = center;
        center = mid;
        up = top;
        down = below;
        if (x == width - 1) {
            x = 0;
            y++;
        } else {
            x++;
        }
    } while (!last);
}

#endif // STENCIL5_H
