// codesign trace support, compiled once into the Verilator runtime library by
// codesign-verilate (sim/verilate/src/runtime.rs).
//
// Verilator 5.006 generates the trace code of a model for exactly one format:
// with both --trace and --trace-fst the last one wins, and the generated
// callbacks take `VerilatedFst::Buffer*` (or `VerilatedVcd::Buffer*`). codesign
// models are verilated with --trace-fst; a VCD is the same waveform written
// through GTKWave's own FST reader (the fst2vcd algorithm), which
// verilated_fst_c.cpp already compiles in.

#include <cstdio>

#include "gtkwave/fstapi.h"

// Writes the FST file `fst` as the VCD file `vcd`. Returns 0 on success, 1 if
// the FST cannot be read, 2 if the VCD cannot be written.
extern "C" int codesign_trace_fst_to_vcd(const char* fst, const char* vcd) {
    void* reader = fstReaderOpen(fst);
    if (!reader) return 1;
    FILE* out = std::fopen(vcd, "w");
    if (!out) {
        fstReaderClose(reader);
        return 2;
    }
    fstReaderProcessHier(reader, out);
    fstReaderSetFacProcessMaskAll(reader);
    fstReaderIterBlocks(reader, nullptr, nullptr, out);
    fstReaderClose(reader);
    const bool failed = std::ferror(out) != 0;
    return (std::fclose(out) != 0 || failed) ? 2 : 0;
}
