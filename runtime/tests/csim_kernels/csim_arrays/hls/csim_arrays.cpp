// ap_memory arrays, an ap_none input by value, an ap_vld output by pointer and a return value.
#include "ap_int.h"

short csim_arrays(const short x[8], ap_int<8> gain, int y[8], int* total) {
#pragma HLS INTERFACE mode=ap_memory port=x
#pragma HLS INTERFACE mode=ap_memory port=y
#pragma HLS INTERFACE mode=ap_none port=gain
#pragma HLS INTERFACE mode=ap_vld port=total
    int sum = 0;
    short top = x[0];
    for (int i = 0; i < 8; ++i) {
        y[i] = int(gain) * x[i] + i;
        sum += y[i];
        if (x[i] > top) top = x[i];
    }
    *total = sum;
    return top;
}
