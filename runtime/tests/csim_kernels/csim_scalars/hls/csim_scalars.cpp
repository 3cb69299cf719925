// Scalars every way C passes them: by value, by pointer (inout), by reference (out), returned.
#include "ap_int.h"

int csim_scalars(ap_int<12> a, short b, int* acc, ap_uint<9>& y) {
#pragma HLS INTERFACE mode=ap_none port=a
#pragma HLS INTERFACE mode=ap_vld port=b
#pragma HLS INTERFACE mode=ap_ovld port=acc
#pragma HLS INTERFACE mode=ap_vld port=y
    *acc += int(a) * b;
    y = a + b;
    return int(a) - b;
}
