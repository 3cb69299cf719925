// Does not compile: the error must reach the user.
#include "hls_stream.h"

void csim_broken(hls::stream<int>& in, hls::stream<int>& out) {
    out.write(in.read() + undeclared_name);
}
