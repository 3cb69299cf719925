// codesign's own AXI4-Stream side-channel types for C simulation, with the Vitis names and
// members: ap_axis / ap_axiu<W, U, I, D> and hls::axis<T, U, I, D>, with the optional fifth
// and sixth parameters of Vitis 2022.2+ (which side channels the RTL exports, strict or not).
// A zero-width side channel is one bit wide here, as in the Vitis header (it is not exported
// to the RTL). C simulation keeps every member whatever the enable mask says: code Vitis
// accepts compiles the same, and the RTL ports come from the export, not from this header.
#ifndef CODESIGN_AP_AXI_SDATA_H
#define CODESIGN_AP_AXI_SDATA_H

#include "ap_int.h"

// Side channels a stream exports (Vitis's names and values; user code often defines them too).
#ifndef AXIS_ENABLE_DATA
#define AXIS_ENABLE_DATA 0b00000001
#endif
#ifndef AXIS_ENABLE_DEST
#define AXIS_ENABLE_DEST 0b00000010
#endif
#ifndef AXIS_ENABLE_ID
#define AXIS_ENABLE_ID 0b00000100
#endif
#ifndef AXIS_ENABLE_KEEP
#define AXIS_ENABLE_KEEP 0b00001000
#endif
#ifndef AXIS_ENABLE_LAST
#define AXIS_ENABLE_LAST 0b00010000
#endif
#ifndef AXIS_ENABLE_STRB
#define AXIS_ENABLE_STRB 0b00100000
#endif
#ifndef AXIS_ENABLE_USER
#define AXIS_ENABLE_USER 0b01000000
#endif
#ifndef AXIS_ENABLE_ALL
#define AXIS_ENABLE_ALL 0b01111111
#endif

template <int W, int U, int I, int D, unsigned char EnableSignals = AXIS_ENABLE_ALL, bool StrictEnablement = false>
struct ap_axis {
    ap_int<W> data;
    ap_uint<(W + 7) / 8> keep;
    ap_uint<(W + 7) / 8> strb;
    ap_uint<(U > 0) ? U : 1> user;
    ap_uint<1> last;
    ap_uint<(I > 0) ? I : 1> id;
    ap_uint<(D > 0) ? D : 1> dest;
};

template <int W, int U, int I, int D, unsigned char EnableSignals = AXIS_ENABLE_ALL, bool StrictEnablement = false>
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
template <typename T, int U, int I, int D, unsigned char EnableSignals = AXIS_ENABLE_ALL, bool StrictEnablement = false>
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
