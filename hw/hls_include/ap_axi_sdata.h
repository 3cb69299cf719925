// codesign's own AXI4-Stream side-channel types for C simulation, with the Vitis names and
// members: ap_axis / ap_axiu<W, U, I, D> and hls::axis<T, U, I, D>. A zero-width side
// channel is one bit wide here, as in the Vitis header (it is not exported to the RTL).
#ifndef CODESIGN_AP_AXI_SDATA_H
#define CODESIGN_AP_AXI_SDATA_H

#include "ap_int.h"

template <int W, int U, int I, int D>
struct ap_axis {
    ap_int<W> data;
    ap_uint<(W + 7) / 8> keep;
    ap_uint<(W + 7) / 8> strb;
    ap_uint<(U > 0) ? U : 1> user;
    ap_uint<1> last;
    ap_uint<(I > 0) ? I : 1> id;
    ap_uint<(D > 0) ? D : 1> dest;
};

template <int W, int U, int I, int D>
struct ap_axiu {
    ap_uint<W> data;
    ap_uint<(W + 7) / 8> keep;
    ap_uint<(W + 7) / 8> strb;
    ap_uint<(U > 0) ? U : 1> user;
    ap_uint<1> last;
    ap_uint<(I > 0) ? I : 1> id;
    ap_uint<(D > 0) ? D : 1> dest;
};

namespace hls {
template <typename T, int U, int I, int D>
struct axis {
    T data;
    ap_uint<(sizeof(T) * 8 + 7) / 8> keep;
    ap_uint<(sizeof(T) * 8 + 7) / 8> strb;
    ap_uint<(U > 0) ? U : 1> user;
    ap_uint<1> last;
    ap_uint<(I > 0) ? I : 1> id;
    ap_uint<(D > 0) ? D : 1> dest;
};
}  // namespace hls

#endif
