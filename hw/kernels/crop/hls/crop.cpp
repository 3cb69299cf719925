// Vitis HLS top of kernel crop (see crop.h): x[1:-1, 1:-1] of a row-major
// grid. The hand-written RTL has the interface this function exports: axis
// ports in_r_* and out_r_* (`in` and `out` are renamed), s_axi_control with
// `width` at 0x10 and `height` at 0x18, ap_ctrl_hs in the control register
// map and an `interrupt` pin (../rtl/crop.v).
#include "crop.h"

void crop(hls::stream<ap_axis<32, 0, 0, 0> >& in, hls::stream<ap_axis<32, 0, 0, 0> >& out, int width,
          int height) {
#pragma HLS INTERFACE mode=axis port=in
#pragma HLS INTERFACE mode=axis port=out
#pragma HLS INTERFACE mode=s_axilite port=width bundle=control
#pragma HLS INTERFACE mode=s_axilite port=height bundle=control
#pragma HLS INTERFACE mode=s_axilite port=return bundle=control

    // Outside this range the call returns at once: nothing read, nothing
    // written (stencil5's range, see crop.h).
    if (width < 3 || width > CROP_MAX_WIDTH || height < 3) {
        return;
    }

    // One pipelined loop over all width*height words (II=1, no bubble at row
    // ends): every word is read, only the interior ones are written.
    int x = 0;
    int y = 0;
    bool last = false;
grid:
    do {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=9 max=1048576 avg=3072
        crop_pkt beat = in.read();
        last = (x == width - 1) && (y == height - 1);
        bool interior = (y >= 1) && (y <= height - 2) && (x >= 1) && (x <= width - 2);
        if (interior) {
            crop_pkt o;
            o.data = beat.data;
            o.keep = -1;
            o.strb = -1;
            o.last = (x == width - 2) && (y == height - 2);
            out.write(o);
        }
        if (x == width - 1) {
            x = 0;
            y++;
        } else {
            x++;
        }
    } while (!last);
}
