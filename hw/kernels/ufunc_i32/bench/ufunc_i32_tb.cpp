// Hand-written Verilator testbench for kernel ufunc_i32: the speed reference
// for the generated Rust harness. Built by the Rust build (cc, -O3) into the
// same library as the verilated model; no main().
//
//   extern "C" int codesign_bench_ufunc_i32(uint64_t elements, uint32_t op,
//                                           uint32_t stall_every,
//                                           uint64_t* cycles_out,
//                                           uint64_t* checksum_out);
//
// Resets the model (ap_rst_n = 0 for 4 cycles), programs op (0x10), GIE (0x04),
// IER (0x08) and AP_CTRL = 1 (0x00) over AXI4-Lite pin by pin, streams
// `elements` pairs at full rate (a[i] = i * 0x9E3779B1, b[i] = i ^ 0x5BD1E995,
// TLAST on the last one; the streams are offered from the first cycle after
// reset), keeps out_r_TREADY = 1 and runs until `interrupt` is high. stall_every = N >= 2:
// on every Nth cycle neither input offers a new beat (one on offer stays, as AXI requires)
// and out_r_TREADY is low; 0 or 1 = full rate.
//
// Cycle loop (the Rust harness does the same): set inputs with ap_clk = 0;
// eval(); sample handshakes (VALID && READY); ap_clk = 1; eval(); ap_clk = 0.
//
// *cycles_out   = rising edges ticked after reset until interrupt is seen high
// *checksum_out = FNV-1a 64 over the received out_r_TDATA words, each word fed
//                 as 4 little-endian bytes
// returns 0 on success, -1 on timeout (elements * 4 + 1000 cycles; also the
// outcome for elements == 0, since the kernel waits for a TLAST), -2 if the
// number of received beats != elements or the last beat lacks TLAST.

#include <cstdint>
#include <memory>

#include "verilated.h"
#include "Vufunc_i32.h"

// Verilator renames ports that clash with common C++ words: `interrupt`
// becomes `__SYM__interrupt` in Vufunc_i32.h.
#define UFUNC_I32_IRQ(m) ((m)->__SYM__interrupt)

namespace {

const uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
const uint64_t kFnvPrime = 0x100000001b3ULL;

const uint32_t kAddrApCtrl = 0x00;
const uint32_t kAddrGie = 0x04;
const uint32_t kAddrIer = 0x08;
const uint32_t kAddrOp = 0x10;

struct Run {
    Vufunc_i32* m;
    uint64_t elements;
    uint64_t limit;      // give up after this many cycles
    uint64_t cycles;     // rising edges ticked since reset
    uint64_t ia, ib;     // next a / b element to offer
    bool a_offer, b_offer;  // a beat is on offer (TVALID high until taken)
    uint32_t stall_every, phase;
    uint64_t received;   // beats taken from out_r
    uint64_t checksum;
    bool last_tlast;

    inline void drive_streams() {
        Vufunc_i32* const t = m;
        const bool stall = stall_every >= 2 && ++phase == stall_every;
        if (stall) phase = 0;
        if (!a_offer && !stall && ia < elements) {
            a_offer = true;
            t->a_TDATA = static_cast<uint32_t>(ia) * 0x9E3779B1u;
            t->a_TLAST = (ia + 1 == elements) ? 1 : 0;
        }
        if (!b_offer && !stall && ib < elements) {
            b_offer = true;
            t->b_TDATA = static_cast<uint32_t>(ib) ^ 0x5BD1E995u;
            t->b_TLAST = (ib + 1 == elements) ? 1 : 0;
        }
        t->a_TVALID = a_offer ? 1 : 0;
        t->b_TVALID = b_offer ? 1 : 0;
        t->out_r_TREADY = stall ? 0 : 1;
    }

    inline void sample_streams() {
        Vufunc_i32* const t = m;
        if (a_offer && t->a_TREADY) {
            ++ia;
            a_offer = false;
        }
        if (b_offer && t->b_TREADY) {
            ++ib;
            b_offer = false;
        }
        if (t->out_r_TVALID && t->out_r_TREADY) {
            uint32_t w = t->out_r_TDATA;
            uint64_t h = checksum;
            for (int k = 0; k < 4; ++k) {
                h ^= static_cast<uint64_t>(w & 0xffu);
                h *= kFnvPrime;
                w >>= 8;
            }
            checksum = h;
            last_tlast = t->out_r_TLAST != 0;
            ++received;
        }
    }

    inline void rising_edge() {
        m->ap_clk = 1;
        m->eval();
        m->ap_clk = 0;
        ++cycles;
    }

    // One AXI4-Lite write, handshaking each channel pin by pin while the
    // streams keep running. Returns false on timeout.
    bool axil_write(uint32_t addr, uint32_t data) {
        Vufunc_i32* const t = m;
        bool aw_done = false, w_done = false, b_done = false;
        t->s_axi_control_AWADDR = addr;
        t->s_axi_control_WDATA = data;
        t->s_axi_control_WSTRB = 0xf;
        t->s_axi_control_BREADY = 1;
        while (!b_done) {
            if (cycles >= limit) return false;
            t->s_axi_control_AWVALID = aw_done ? 0 : 1;
            t->s_axi_control_WVALID = w_done ? 0 : 1;
            drive_streams();
            t->eval();
            if (t->s_axi_control_AWVALID && t->s_axi_control_AWREADY) aw_done = true;
            if (t->s_axi_control_WVALID && t->s_axi_control_WREADY) w_done = true;
            if (t->s_axi_control_BVALID && t->s_axi_control_BREADY) b_done = true;
            sample_streams();
            rising_edge();
        }
        t->s_axi_control_AWVALID = 0;
        t->s_axi_control_WVALID = 0;
        t->s_axi_control_BREADY = 0;
        return true;
    }
};

void clear_inputs(Vufunc_i32* m) {
    m->a_TDATA = 0; m->a_TVALID = 0; m->a_TKEEP = 0xf; m->a_TSTRB = 0xf; m->a_TLAST = 0;
    m->b_TDATA = 0; m->b_TVALID = 0; m->b_TKEEP = 0xf; m->b_TSTRB = 0xf; m->b_TLAST = 0;
    m->out_r_TREADY = 0;
    m->s_axi_control_AWVALID = 0; m->s_axi_control_AWADDR = 0;
    m->s_axi_control_WVALID = 0; m->s_axi_control_WDATA = 0; m->s_axi_control_WSTRB = 0;
    m->s_axi_control_ARVALID = 0; m->s_axi_control_ARADDR = 0;
    m->s_axi_control_RREADY = 0; m->s_axi_control_BREADY = 0;
}

} // namespace

extern "C" int codesign_bench_ufunc_i32(uint64_t elements, uint32_t op, uint32_t stall_every,
                                        uint64_t* cycles_out, uint64_t* checksum_out) {
    std::unique_ptr<VerilatedContext> ctx(new VerilatedContext);
    std::unique_ptr<Vufunc_i32> model(new Vufunc_i32(ctx.get(), "TOP"));
    Vufunc_i32* const m = model.get();

    // reset: ap_rst_n = 0 for 4 cycles (not counted)
    clear_inputs(m);
    m->ap_clk = 0;
    m->ap_rst_n = 0;
    for (int i = 0; i < 4; ++i) {
        m->eval();
        m->ap_clk = 1;
        m->eval();
        m->ap_clk = 0;
    }
    m->ap_rst_n = 1;
    m->out_r_TREADY = 1;

    Run r;
    r.m = m;
    r.elements = elements;
    r.limit = elements * (stall_every >= 2 ? 8 : 4) + 1000;
    r.cycles = 0;
    r.ia = r.ib = 0;
    r.a_offer = r.b_offer = false;
    r.stall_every = stall_every;
    r.phase = 0;
    r.received = 0;
    r.checksum = kFnvOffset;
    r.last_tlast = false;

    int rc = 0;
    if (!r.axil_write(kAddrOp, op) || !r.axil_write(kAddrGie, 1) ||
        !r.axil_write(kAddrIer, 1) || !r.axil_write(kAddrApCtrl, 1)) {
        rc = -1;
    } else {
        // hot loop: full-rate streaming until the interrupt
        const uint64_t limit = r.limit;
        for (;;) {
            r.drive_streams();
            m->eval();
            if (UFUNC_I32_IRQ(m)) break;
            r.sample_streams();
            if (r.cycles >= limit) { rc = -1; break; }
            r.rising_edge();
        }
    }

    if (rc == 0 && (r.received != elements || !r.last_tlast)) rc = -2;

    if (cycles_out) *cycles_out = r.cycles;
    if (checksum_out) *checksum_out = r.checksum;

    model->final();
    model.reset();
    ctx.reset();
    return rc;
}
