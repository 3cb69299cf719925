// Hand-written Verilator testbench for the tiny_stream example: the speed reference for the
// Rust harness (`codesign bench-sim --kernel-dir hw/examples/tiny_stream`). Compiled into the
// same library as the model (-O3, the fast variant's flags); no main().
//
//   extern "C" int codesign_bench_tiny_stream(uint64_t elements, uint32_t arg,
//                                             uint32_t stall_every,
//                                             uint64_t* cycles_out, uint64_t* checksum_out);
//
// Resets the model (ap_rst_n = 0 for 4 cycles), then streams `elements` words
// (in[i] = i * 0x9E3779B1) into in_r and drains out_r until as many words came out.
// `arg` is unused (the kernel has no arguments). stall_every = N >= 2: on every Nth cycle no
// new input beat is offered (one on offer stays, as AXI requires) and out_r_TREADY is low;
// 0 or 1 = full rate.
//
// Cycle loop (the Rust harness does the same): set inputs with ap_clk = 0; eval(); sample
// handshakes (VALID && READY); ap_clk = 1; eval(); ap_clk = 0.
//
// *cycles_out   = rising edges after reset until the last output beat
// *checksum_out = FNV-1a 64 over the out_r_TDATA words, each as 4 little-endian bytes
// returns 0 on success, -1 on timeout (elements * 4 + 1000 cycles, more with stalls).

#include <cstdint>
#include <memory>

#include "verilated.h"
#include "Vtiny_stream.h"

extern "C" int codesign_bench_tiny_stream(uint64_t elements, uint32_t /*arg*/, uint32_t stall_every,
                                          uint64_t* cycles_out, uint64_t* checksum_out) {
    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    std::unique_ptr<Vtiny_stream> model(new Vtiny_stream(ctx.get(), "TOP"));
    Vtiny_stream* const m = model.get();

    m->in_r_TVALID = 0;
    m->in_r_TDATA = 0;
    m->out_r_TREADY = 0;
    m->ap_clk = 0;
    m->ap_rst_n = 0;
    for (int i = 0; i < 4; ++i) {
        m->eval();
        m->ap_clk = 1;
        m->eval();
        m->ap_clk = 0;
    }
    m->ap_rst_n = 1;

    const uint64_t limit = elements * (stall_every >= 2 ? 8 : 4) + 1000;
    uint64_t cycles = 0, sent = 0, received = 0;
    uint64_t checksum = 0xcbf29ce484222325ULL;
    bool offering = false;
    uint32_t phase = 0;
    int rc = 0;
    while (received < elements) {
        if (cycles >= limit) {
            rc = -1;
            break;
        }
        const bool stall = stall_every >= 2 && ++phase == stall_every;
        if (stall) phase = 0;
        if (!offering && !stall && sent < elements) {
            m->in_r_TDATA = static_cast<uint32_t>(sent) * 0x9E3779B1u;
            offering = true;
        }
        m->in_r_TVALID = offering ? 1 : 0;
        m->out_r_TREADY = stall ? 0 : 1;
        m->eval();
        if (offering && m->in_r_TREADY) {
            ++sent;
            offering = false;
        }
        if (m->out_r_TVALID && m->out_r_TREADY) {
            uint32_t w = m->out_r_TDATA;
            for (int k = 0; k < 4; ++k) {
                checksum = (checksum ^ (w & 0xffu)) * 0x100000001b3ULL;
                w >>= 8;
            }
            ++received;
        }
        m->ap_clk = 1;
        m->eval();
        m->ap_clk = 0;
        ++cycles;
    }

    if (cycles_out) *cycles_out = cycles;
    if (checksum_out) *checksum_out = checksum;
    model->final();
    return rc;
}
